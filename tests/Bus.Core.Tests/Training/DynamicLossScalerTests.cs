namespace Bus.Core.Tests.Training;

/// <summary>The fp16 loss scaler's rules, checked by hand against torch.cuda.amp.GradScaler's documented behaviour.</summary>
public class DynamicLossScalerTests
{
    [Fact]
    public void DefaultsAreGradScalers()
    {
        var scaler = new DynamicLossScaler();
        scaler.Scale.Should().Be(65536);
        scaler.GrowthFactor.Should().Be(2);
        scaler.BackoffFactor.Should().Be(0.5);
        scaler.GrowthInterval.Should().Be(2000);
    }

    [Fact]
    public void AnOverflowHalvesTheScaleAndGoodStepsDoubleItAfterTheInterval()
    {
        var scaler = new DynamicLossScaler(initialScale: 8, growthInterval: 3);
        scaler.Update(overflowed: false);
        scaler.Update(overflowed: false);
        scaler.Scale.Should().Be(8, "two good steps are fewer than the interval of 3");
        scaler.Update(overflowed: true);
        (scaler.Scale, scaler.GoodSteps, scaler.SkippedSteps).Should().Be((4.0, 0, 1L), "an overflow halves 8 and resets the count");
        for (int i = 0; i < 3; i++) scaler.Update(overflowed: false);
        (scaler.Scale, scaler.GoodSteps).Should().Be((8.0, 0), "3 good steps in a row double 4");
    }

    [Fact]
    public void ItsStateRoundTripsThroughACheckpointAndABadOneIsRefused()
    {
        var scaler = new DynamicLossScaler(initialScale: 1024, growthInterval: 10);
        scaler.Update(true);
        scaler.Update(false);
        using var state = new CheckpointState();
        scaler.SaveState(state);
        var restored = new DynamicLossScaler(growthInterval: 10);
        restored.LoadState(state);
        (restored.Scale, restored.GoodSteps, restored.SkippedSteps).Should().Be((512.0, 1, 1L));
        state.SetString(scaler.CheckpointKey + "/scale", "-1");
        var act = () => restored.LoadState(state);
        act.Should().Throw<InvalidDataException>().WithMessage("*loss-scaler*-1*");
    }

    [Theory]
    [InlineData(0.0, 2.0, 0.5, 1, "initialScale")]
    [InlineData(1.0, 1.0, 0.5, 1, "growthFactor")]
    [InlineData(1.0, 2.0, 1.0, 1, "backoffFactor")]
    [InlineData(1.0, 2.0, 0.5, 0, "growthInterval")]
    public void BadSettingsNameTheirParameter(double scale, double growth, double backoff, int interval, string name)
    {
        var act = () => new DynamicLossScaler(scale, growth, backoff, interval);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }

    [Fact]
    public void PrecisionNamesParseAndAnUnknownOneListsTheKnownOnes()
    {
        Precisions.Parse("BF16").Should().Be(Precision.Bf16);
        Precisions.Parse("fp16").Should().Be(Precision.Fp16);
        Precision.Fp32.Name().Should().Be("fp32");
        var act = () => Precisions.Parse("fp8");
        act.Should().Throw<ArgumentException>().WithMessage("Unknown precision 'fp8'; use one of fp32, bf16, fp16.*");
        var bad = () => new TrainerOptions { Precision = (Precision)7 };
        bad.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Precision");
    }
}
