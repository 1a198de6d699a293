using Bus.Experiments.Methods;
using Bus.Optimizers;

namespace Bus.Experiments.Tests;

/// <summary>The lion method trains with exactly the comparison's Lion lr and wd (AdamW lr / divisor, wd x multiplier), once.</summary>
public sealed class LionMethodTests
{
    [Fact]
    public void LionGetsTheComparisonRatiosAppliedExactlyOnce()
    {
        using var train = TestData.LetterCounting(16, seed: 1);
        using var dev = TestData.LetterCounting(8, seed: 2);
        var options = TestData.Options() with { LearningRate = 3e-3, WeightDecay = 0.02, LionLrDivisor = 4, LionWdMultiplier = 5 };
        using var builder = new MethodBuilder(options, TestData.Full(options), train, dev, TestData.Objective, 8, 0, null);

        new LionMethod().Configure(builder);

        // The trainer keeps the AdamW values; the factory (the one owner of Lion's rate) divides and multiplies once.
        builder.LearningRate.Should().Be(3e-3);
        builder.WeightDecay.Should().Be(0.02);
        var lion = builder.Optimizer.Should().BeOfType<LionFactory>().Which;
        lion.Name.Should().Be("lion");
        lion.LearningRateFor(builder.LearningRate).Should().Be(3e-3 / 4);
        lion.WeightDecayFor(builder.WeightDecay).Should().Be(0.02 * 5);
    }
}
