namespace Bus.Cli.Infrastructure;

/// <summary>
/// Upper bounds on <c>compare --budgets</c>, per <c>--unit</c>, checked before any work: every budget must be positive,
/// finite and at most the unit's bound (<c>--budgets 1e308</c> used to start a run that never ends).
/// </summary>
internal static class BudgetLimits
{
    /// <summary>Largest budget in seconds (reference or wall-clock): 10^7 s, about 116 days.</summary>
    public const double MaxSeconds = 1e7;

    /// <summary>Largest budget in training samples: 10^12.</summary>
    public const double MaxSamples = 1e12;

    /// <summary>Largest budget in floating-point operations: 10^21.</summary>
    public const double MaxFlops = 1e21;

    /// <summary>
    /// The largest budget accepted in <paramref name="unit"/>; steps are bounded by <see cref="ModelSizeLimits.MaxSteps"/>.
    /// </summary>
    public static double Max(BudgetUnit unit) => unit switch
    {
        BudgetUnit.Steps => ModelSizeLimits.MaxSteps,
        BudgetUnit.Samples => MaxSamples,
        BudgetUnit.Flops => MaxFlops,
        _ => MaxSeconds,
    };

    /// <summary>
    /// Requires <paramref name="budget"/> (as the user wrote it: <paramref name="text"/>) to be positive, finite and at
    /// most <see cref="Max"/>.
    /// </summary>
    public static void Require(string option, string text, double budget, BudgetUnit unit)
    {
        double max = Max(unit);
        if (!(double.IsFinite(budget) && budget > 0 && budget <= max))
            throw new ArgumentOutOfRangeException(option, budget, string.Create(CultureInfo.InvariantCulture,
                $"{option} '{text}': a budget must be positive, finite and at most {max:G} ({unit})."));
    }
}
