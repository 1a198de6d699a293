namespace Bus.Core.Tests.Training;

/// <summary>
/// Warmup-stable-decay and cosine beside linear decay, and <see cref="LearningRateSchedule.Extended"/>. Every expected
/// value is derived by hand from the schedule's definition (written beside it).
/// </summary>
public class ContinuableScheduleTests
{
    private static readonly LearningRateSchedule Wsd = new() { Decay = DecayShape.WarmupStableDecay, WarmupFraction = 0.1,
        DecayFraction = 0.2 };

    [Theory]
    [InlineData(0.0, 0.0)]    // warm-up: f / 0.1
    [InlineData(0.05, 0.5)]
    [InlineData(0.1, 1.0)]    // stable until 1 - 0.2 = 0.8
    [InlineData(0.5, 1.0)]
    [InlineData(0.8, 1.0)]
    [InlineData(0.9, 0.5)]    // decay: (1 - f) / 0.2
    [InlineData(0.95, 0.25)]
    [InlineData(1.0, 0.0)]
    public void WsdWarmsUpHoldsThePeakThenDecaysLinearly(double f, double expected) =>
        Wsd.Multiplier(f).Should().BeApproximately(expected, 1e-12);

    [Theory]
    [InlineData(0.05, 1.0)]
    [InlineData(0.2875, 0.8535533905932737)] // progress (0.2875 - 0.05) / 0.95 = 0.25: (1 + cos(pi/4)) / 2 = (1 + 0.70710678...) / 2
    [InlineData(0.525, 0.5)]                 // progress 0.5: (1 + cos(pi/2)) / 2
    [InlineData(1.0, 0.0)]
    public void CosineFollowsTheHalfCosineAfterWarmup(double f, double expected) =>
        new LearningRateSchedule { Decay = DecayShape.Cosine }.Multiplier(f).Should().BeApproximately(expected, 1e-12);

    [Theory]
    [InlineData(0.025, 0.5)]  // warm-up f / 0.05
    [InlineData(0.525, 0.5)]  // 1 - (0.525 - 0.05) / 0.95
    [InlineData(0.81, 0.2)]   // 1 - 0.76 / 0.95
    public void LinearStaysTheDefault(double f, double expected)
    {
        var schedule = new LearningRateSchedule();
        schedule.Decay.Should().Be(DecayShape.Linear);
        schedule.Multiplier(f).Should().BeApproximately(expected, 1e-12);
        // The run fingerprint's text of linear and cosine schedules is unchanged (checkpoints written before WSD still resume).
        schedule.ToString().Should().Be("LearningRateSchedule { WarmupFraction = 0.05, Decay = Linear }");
        Wsd.ToString().Should().Be("LearningRateSchedule { WarmupFraction = 0.1, Decay = WarmupStableDecay, DecayFraction = 0.2 }");
    }

    [Fact]
    public void WsdDecayStartsAfterALongWarmup()
    {
        // Warm-up 0.9 reaches past 1 - 0.2: the decay runs from 0.9 to 1, so at 0.95 the rate is (1 - 0.95) / 0.1 = 0.5.
        var late = Wsd with { WarmupFraction = 0.9 };
        late.DecayStart.Should().Be(0.9);
        late.Multiplier(0.95).Should().BeApproximately(0.5, 1e-12);
        Wsd.DecayStart.Should().BeApproximately(0.8, 1e-15);
        new LearningRateSchedule().DecayStart.Should().Be(0.05);
        new LearningRateSchedule { Decay = DecayShape.Constant }.DecayStart.Should().Be(1);
        new LearningRateSchedule().DecayFraction.Should().Be(0.2);
    }

    [Fact]
    public void ExtensionKeepsTheWarmupLengthAndMovesTheDecay()
    {
        // Planned 100, spent 50 (stable), extended to 200: warm-up 10 units = 0.05 of 200; decay from 160 to 200.
        var extended = Wsd.Extended(100, 200, 50);
        extended.WarmupFraction.Should().BeApproximately(0.05, 1e-15);
        extended.DecayFraction.Should().Be(0.2);
        extended.Multiplier(5 / 200.0).Should().BeApproximately(Wsd.Multiplier(5 / 100.0), 1e-12); // same rate at 5 units spent
        extended.Multiplier(50 / 200.0).Should().Be(1);
        extended.Multiplier(180 / 200.0).Should().BeApproximately(0.5, 1e-12);
        // A linear run still warming up may be extended too: 3 of 100 spent, warm-up 5 units.
        new LearningRateSchedule().Extended(100, 200, 3).WarmupFraction.Should().BeApproximately(0.025, 1e-15);
    }

    [Theory]
    [InlineData("wsd", 85, 200, "*began its decay at 80.0 %*spent 85.0 %*")]   // WSD past 1 - 0.2
    [InlineData("wsd", 100, 200, "*decay is complete*")]                       // a finished WSD run
    [InlineData("linear", 100, 200, "*decay is complete*")]                    // a finished linear run
    [InlineData("cosine", 30, 200, "*cosine schedule began its decay at 5.0 %*")]
    [InlineData("wsd", 50, 100, "*budget larger than the planned 100; got 100*")]
    [InlineData("wsd", 50, 80, "*budget larger than the planned 100; got 80*")]
    public void ExtensionIsRefusedOnceTheDecayBegan(string shape, double spent, double newAmount, string message)
    {
        var schedule = shape switch
        {
            "wsd" => Wsd,
            "cosine" => new LearningRateSchedule { Decay = DecayShape.Cosine },
            _ => new LearningRateSchedule(),
        };
        FluentActions.Invoking(() => schedule.Extended(100, newAmount, spent)).Should().Throw<ScheduleExtensionException>()
            .WithMessage(message);
    }

    [Fact]
    public void InvalidDecayFractionIsRejected()
    {
        FluentActions.Invoking(() => new LearningRateSchedule { DecayFraction = 0 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("DecayFraction");
        FluentActions.Invoking(() => new LearningRateSchedule { DecayFraction = 1.5 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("DecayFraction");
    }
}
