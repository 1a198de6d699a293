namespace Bus.Optimizers.Tests;

/// <summary>LionFactory owns Lion's peak rate: it applies its divisor (and decay multiplier) once, into every param group.</summary>
public sealed class LionFactoryRateTests
{
    [Theory]
    [InlineData(3.0, 10.0)]
    [InlineData(4.0, 5.0)]
    public void CreateWritesTheTrainersRateOverTheDivisorIntoEveryGroupOnce(double divisor, double multiplier)
    {
        using var scope = NewDisposeScope();
        var factory = new LionFactory { LearningRateDivisor = divisor, WeightDecayMultiplier = multiplier };
        using var optimizer = factory.Create([new Parameter(zeros(3)), new Parameter(zeros(2))], 3e-3, 0.02);
        var group = optimizer.ParamGroups.Should().ContainSingle().Which.Should().BeOfType<Lion.ParamGroup>().Which;
        group.LearningRate.Should().Be(3e-3 / divisor);
        group.Options.weight_decay.Should().Be(0.02 * multiplier);
    }

    [Fact]
    public void AnExplicitRateWinsOverTheDivisorAndABadDivisorIsRefused()
    {
        using var scope = NewDisposeScope();
        using var optimizer = new LionFactory(LearningRate: 5e-4) { LearningRateDivisor = 7 }.Create([new Parameter(zeros(3))], 3e-3, 0);
        optimizer.ParamGroups.Single().LearningRate.Should().Be(5e-4);
        new LionFactory().LearningRateDivisor.Should().Be(LionFactory.DefaultLearningRateDivisor);
        new LionFactory().WeightDecayMultiplier.Should().Be(LionFactory.DefaultWeightDecayMultiplier);
        FluentActions.Invoking(() => new LionFactory { LearningRateDivisor = 0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("LearningRateDivisor");
        FluentActions.Invoking(() => new LionFactory { WeightDecayMultiplier = -1 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("WeightDecayMultiplier");
    }
}
