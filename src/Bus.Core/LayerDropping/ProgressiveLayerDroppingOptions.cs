using Bus.Core;

namespace Bus.Core.LayerDropping;

/// <summary>Options of <see cref="ProgressiveLayerDropping"/>: an immutable record with validated defaults (DeepSpeed's).</summary>
public sealed record ProgressiveLayerDroppingOptions
{
    private readonly double _thetaBar = 0.5;
    private readonly double _gamma = 0.001;
    private readonly PldClock _clock = PldClock.Steps;

    /// <summary>theta-bar: the keep probability of the last block that theta(t) decays to, in (0, 1].</summary>
    public double ThetaBar
    {
        get => _thetaBar;
        init => _thetaBar = Guard.InRange(value, 0, 1, nameof(ThetaBar), minExclusive: true);
    }

    /// <summary>
    /// gamma: decay rate of theta(t), per unit of <see cref="Clock"/>: 0.001 per step (DeepSpeed) or, with
    /// <see cref="PldClock.BudgetFraction"/>, 100 per budget (NTNG's gamma = 100/T).
    /// </summary>
    public double Gamma
    {
        get => _gamma;
        init => _gamma = Guard.NonNegative(value, nameof(Gamma));
    }

    /// <summary>What t counts.</summary>
    public PldClock Clock
    {
        get => _clock;
        init => _clock = Guard.Defined(value, nameof(Clock));
    }

    /// <summary>NTNG's time-keyed schedule: t = budget fraction, gamma = 100 per budget.</summary>
    public static ProgressiveLayerDroppingOptions BudgetKeyed(double thetaBar = 0.5) =>
        new() { ThetaBar = thetaBar, Gamma = 100, Clock = PldClock.BudgetFraction };
}
