namespace Bus.Core.LayerDropping;

/// <summary>Options of <see cref="ProgressiveLayerDropping"/>: an immutable record with validated defaults (DeepSpeed's).</summary>
public sealed record ProgressiveLayerDroppingOptions
{
    /// <summary>theta-bar: the keep probability of the last block that theta(t) decays to, in (0, 1].</summary>
    public double ThetaBar { get; init => field = Guard.InRange(value, 0, 1, nameof(ThetaBar), minExclusive: true); } = 0.5;

    /// <summary>
    /// gamma: decay rate of theta(t), per unit of <see cref="Clock"/>: 0.001 per step (DeepSpeed) or, with
    /// <see cref="PldClock.BudgetFraction"/>, 100 per budget (NTNG's gamma = 100/T).
    /// </summary>
    public double Gamma { get; init => field = Guard.NonNegative(value, nameof(Gamma)); } = 0.001;

    /// <summary>What t counts.</summary>
    public PldClock Clock { get; init => field = Guard.Defined(value, nameof(Clock)); } = PldClock.Steps;

    /// <summary>NTNG's time-keyed schedule: t = budget fraction, gamma = 100 per budget.</summary>
    public static ProgressiveLayerDroppingOptions BudgetKeyed(double thetaBar = 0.5) =>
        new() { ThetaBar = thetaBar, Gamma = 100, Clock = PldClock.BudgetFraction };
}
