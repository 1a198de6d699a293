namespace Bus.Growth.Tests.Learned;

/// <summary>Both learned operators keep the operator of their lowest evaluation check, so training never ends above the
/// initialisation.</summary>
public class KeptOperatorTests
{
    [Theory]
    [InlineData("ligo")]
    [InlineData("mango")]
    public void AnOperatorTrainedUphillKeepsItsInitialisationExactly(string name)
    {
        // A learning rate of 10 throws every check far above (or to NaN) the initialisation: the grown model is then
        // the step-0 model, bit for bit, whatever the kernels' rounding.
        LearnedGrowthOperator Create(int steps) => name == "ligo"
            ? new LigoOperator(new LigoOptions { Steps = steps, LearningRate = 10 })
            : new MangoOperator(new MangoOptions { Steps = steps, LearningRate = 10, Rank = 2 });
        using var data = LearnedGrowthFixtures.LetterCounting(32, 12, seed: 2);
        using var small = LearnedGrowthFixtures.TrainedSmall(data);
        var context = new GrowthContext(3, data, SequenceObjective.TokenClassification, BatchSize: 32);
        using var initial = Create(0).Grow(small, LearnedGrowthFixtures.Big, context);
        var result = Create(10).GrowWithReport(small, LearnedGrowthFixtures.Big, context);
        using var trained = result.Model;

        result.KeptStep.Should().Be(0, string.Join(", ", result.Evaluations));
        result.Evaluations.Skip(1).Should().OnlyContain(e => !(e.Loss <= result.Evaluations[0].Loss));
        LearnedGrowthFixtures.MaxDifference(trained, initial).Should().Be(0);
    }
}
