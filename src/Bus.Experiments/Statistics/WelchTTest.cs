namespace Bus.Experiments.Statistics;

/// <summary>
/// Welch's unequal-variance t-test (Welch 1947): t = (mean_a - mean_b) / sqrt(s_a^2/n_a + s_b^2/n_b),
/// df by Welch-Satterthwaite, two-sided p-value.
/// </summary>
/// <param name="T">The t statistic.</param>
/// <param name="DegreesOfFreedom">Welch-Satterthwaite degrees of freedom.</param>
/// <param name="PValue">Two-sided p-value (NaN when both samples have zero variance and equal means).</param>
public sealed record WelchTTest(double T, double DegreesOfFreedom, double PValue)
{
    /// <summary>Compares samples <paramref name="a"/> and <paramref name="b"/> (each at least 2 values).</summary>
    public static WelchTTest Compare(IReadOnlyCollection<double> a, IReadOnlyCollection<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2) throw new ArgumentException($"Welch's test needs at least 2 values per sample; got {a.Count}.", nameof(a));
        if (b.Count < 2) throw new ArgumentException($"Welch's test needs at least 2 values per sample; got {b.Count}.", nameof(b));
        var sa = SampleSummary.Of(a);
        var sb = SampleSummary.Of(b);
        double va = sa.StandardDeviation * sa.StandardDeviation / a.Count;
        double vb = sb.StandardDeviation * sb.StandardDeviation / b.Count;
        double diff = sa.Mean - sb.Mean;
        if (va + vb == 0)
            return diff == 0 ? new WelchTTest(0, double.NaN, double.NaN)
                : new WelchTTest(Math.Sign(diff) * double.PositiveInfinity, double.NaN, 0);
        double t = diff / Math.Sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        double p = 2 * (1 - StudentT.Cdf(Math.Abs(t), df));
        return new WelchTTest(t, df, Math.Clamp(p, 0, 1));
    }
}
