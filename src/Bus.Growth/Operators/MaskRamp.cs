namespace Bus.Growth.Operators;

/// <summary>
/// How fast the mask of masked structural growth rises after growth (MSG, Yao et al., ICLR 2024, sec. 3.3: the mask
/// grows linearly from 0 to 1 after the growth step); immutable, validated when set. The mask in force for a step is
/// m = min(1, progress / length), where progress counts from the growth event: optimizer steps when
/// <see cref="Steps"/> &gt; 0, otherwise the fraction of the run's budget (<see cref="BudgetFraction"/>). The steps
/// right after growth therefore run at m = 0, 1/n, ..., and the mask is exactly 1 (and removed) once the ramp's
/// length has passed.
/// </summary>
public sealed record MaskRamp
{
    /// <summary>Defaults: a ramp over 10% of the budget.</summary>
    public static MaskRamp Default { get; } = new();

    /// <summary>
    /// Length of the ramp as a fraction of the run's budget, in (0, 1]; default 0.1. Used when <see cref="Steps"/> is 0.
    /// </summary>
    public double BudgetFraction { get; init => field = Guard.InRange(value, 0, 1, nameof(BudgetFraction), minExclusive: true); } = 0.1;

    /// <summary>Length of the ramp in optimizer steps, &gt;= 0; default 0 (use <see cref="BudgetFraction"/> instead).</summary>
    public int Steps { get; init => field = Guard.NonNegative(value, nameof(Steps)); }

    /// <summary>
    /// The mask after <paramref name="steps"/> steps and <paramref name="fraction"/> of the budget since growth, in [0, 1].
    /// </summary>
    public double Value(long steps, double fraction)
    {
        double progress = Steps > 0 ? (double)steps / Steps : fraction / BudgetFraction;
        return progress >= 1 ? 1.0 : Math.Max(0, progress);
    }

    /// <summary>The ramp for logs and run fingerprints.</summary>
    public override string ToString() => Steps > 0
        ? $"mask ramp over {Steps} steps"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"mask ramp over {BudgetFraction} of the budget");
}
