using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Growth.Learned;
using Bus.Growth.Operators;

namespace Bus.Growth.Tests.Learned;

/// <summary>What both learned growth operators (LiGO and MANGO) promise, checked on each.</summary>
public class LearnedOperatorTests
{
    private static LearnedGrowthOperator Create(string name, int steps = 3, double learningRate = 1e-2) => name == "ligo"
        ? new LigoOperator(new LigoOptions { Steps = steps, LearningRate = learningRate })
        : new MangoOperator(new MangoOptions { Steps = steps, Rank = 2, LearningRate = learningRate });

    [Theory]
    [InlineData("ligo")]
    [InlineData("mango")]
    public void GrowthIsDeterministicUnderASeed(string name)
    {
        using var data = LearnedGrowthFixtures.LetterCounting(16, 12, seed: 5);
        using var small = GrowableTransformer.Create(LearnedGrowthFixtures.Small, 1);
        var op = Create(name);
        using var a = op.Grow(small, LearnedGrowthFixtures.Big, LearnedGrowthFixtures.Context(data, seed: 9));
        using var b = op.Grow(small, LearnedGrowthFixtures.Big, LearnedGrowthFixtures.Context(data, seed: 9));
        using var c = op.Grow(small, LearnedGrowthFixtures.Big, LearnedGrowthFixtures.Context(data, seed: 10));
        // Same seed: equal up to float reassociation in multi-threaded CPU kernels; another seed: another unit mapping.
        LearnedGrowthFixtures.MaxDifference(a, b).Should().BeLessThan(1e-6);
        LearnedGrowthFixtures.MaxDifference(a, c).Should().BeGreaterThan(1e-3);
    }

    [Theory]
    [InlineData("ligo")]
    [InlineData("mango")]
    public void InvalidTrainingOptionsAndMissingDataAreRejectedByName(string name)
    {
        FluentActions.Invoking(() => Create(name, steps: -1)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "Steps" && e.Message.Contains("-1"));
        FluentActions.Invoking(() => Create(name, learningRate: 0)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "LearningRate");
        FluentActions.Invoking(() => Create(name, learningRate: -1)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "LearningRate");
        FluentActions.Invoking(() => Create(name, learningRate: double.NaN)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "LearningRate");
        using var small = GrowableTransformer.Create(LearnedGrowthFixtures.Small, 1);
        FluentActions.Invoking(() => Create(name).Grow(small, LearnedGrowthFixtures.Big, new GrowthContext(1)))
            .Should().Throw<InvalidOperationException>().WithMessage("*TrainingData*");
    }
}
