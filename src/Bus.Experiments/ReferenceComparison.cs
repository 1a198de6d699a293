namespace Bus.Experiments;

/// <summary>
/// How a group of runs compares with a reference group (the comparison's baseline, or the BUS experiment's
/// scratch arm): the target is the reference's mean final metric, Welch's t-test is taken against the reference,
/// and a run reaches the target at its first dev evaluation that is at least as good. The one implementation
/// behind <see cref="EqualBudgetComparison.Summarise"/>, <see cref="EqualBudgetComparison.TimeToTarget"/> and
/// <see cref="BusProtocol.BusExperiment.Summarise"/>.
/// </summary>
public static class ReferenceComparison
{
    /// <summary>The reference's mean final metric (NaN without reference runs).</summary>
    public static double Target(IReadOnlyCollection<double> referenceMetrics)
    {
        ArgumentNullException.ThrowIfNull(referenceMetrics);
        return referenceMetrics.Count > 0 ? referenceMetrics.Average() : double.NaN;
    }

    /// <summary>
    /// Welch's t-test of <paramref name="metrics"/> against <paramref name="referenceMetrics"/>; null for the
    /// reference itself (<paramref name="isReference"/>) or when either side has fewer than 2 values.
    /// </summary>
    public static WelchTTest? Versus(IReadOnlyCollection<double> metrics, IReadOnlyCollection<double> referenceMetrics, bool isReference)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(referenceMetrics);
        return !isReference && metrics.Count >= 2 && referenceMetrics.Count >= 2 ? WelchTTest.Compare(metrics, referenceMetrics) : null;
    }

    /// <summary>The first record of <paramref name="history"/> whose dev metric reaches <paramref name="target"/> in the metric's
    /// direction; null if none does (always null for a NaN target).</summary>
    public static MetricsRecord? FirstReaching(IEnumerable<MetricsRecord> history, double target, bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.FirstOrDefault(h => higherIsBetter ? h.DevMetric >= target : h.DevMetric <= target);
    }
}
