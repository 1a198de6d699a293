using Bus.Experiments.Lstm;

namespace Bus.Experiments.Tests.Lstm;

/// <summary>Seeds 000/001's growing-LSTM comparison (moved from Bus.Growth.Tests with the experiment).</summary>
public class LstmGrowthExperimentTests
{
    [Fact]
    public void ExperimentReportsBpcForEveryArm()
    {
        var results = LstmGrowthExperiment.Run(new LstmGrowthExperimentOptions
        {
            SmallHidden = 4, LargeHidden = 8, EmbeddingSize = 4, ContextLength = 16, BatchSize = 8,
            SmallSteps = 3, LargeSteps = 3, MaxWindows = 60, Seed = 1,
        });
        results.Select(r => r.Arm).Should().Equal("cascade", "fully-connected", "scratch");
        results.Should().OnlyContain(r => r.DevBpc > 0 && r.DevBpc < 10);
        results[2].LargeSteps.Should().Be(6);
        FluentActions.Invoking(() => new LstmGrowthExperimentOptions { SmallSteps = 0 })
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "SmallSteps");
    }
}
