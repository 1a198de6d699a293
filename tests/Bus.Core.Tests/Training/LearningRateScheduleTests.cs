namespace Bus.Core.Tests.Training;

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.25, 0.5)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.75, 0.5)]
    [InlineData(1.0, 0.0)]
    public void HalfWarmupLinearIsNtngOneCycle(double f, double expected) =>
        new LearningRateSchedule { WarmupFraction = 0.5 }.Multiplier(f).Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void EverySchedulesEndsFullyDecayed()
    {
        new LearningRateSchedule { Decay = DecayShape.Cosine }.Multiplier(1).Should().BeApproximately(0, 1e-12);
        new LearningRateSchedule { Decay = DecayShape.Linear, WarmupFraction = 0 }.Multiplier(1).Should().Be(0);
        new LearningRateSchedule { Decay = DecayShape.Cosine, WarmupFraction = 0.1 }.Multiplier(0.55).Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void InvalidWarmupIsRejected()
    {
        var act = () => new LearningRateSchedule { WarmupFraction = 1 };
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("WarmupFraction");
    }
}
