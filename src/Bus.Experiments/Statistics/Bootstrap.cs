namespace Bus.Experiments.Statistics;

/// <summary>
/// The percentile bootstrap over seeds (Efron and Tibshirani 1993, ch. 13): each group of per-seed values is resampled
/// with replacement, a statistic of the resampled groups is recomputed, and the 2.5% and 97.5% quantiles of its
/// replicates give a 95% interval. Seeded, so a report is reproducible.
/// </summary>
public static class Bootstrap
{
    /// <summary>Replicates of <paramref name="statistic"/> over <paramref name="samples"/> resamples of every group (NaN replicates are
    /// kept).</summary>
    public static double[] Replicates<T>(IReadOnlyList<IReadOnlyList<T>> groups, Func<IReadOnlyList<IReadOnlyList<T>>, double> statistic,
        int samples = 2000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(statistic);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one bootstrap sample is needed.");
        if (groups.Any(g => g is null || g.Count == 0))
            throw new ArgumentException("Every group needs at least one value.", nameof(groups));
        var random = new Random(seed);
        var result = new double[samples];
        for (int b = 0; b < samples; b++)
        {
            var resampled =
                groups.Select(g => (IReadOnlyList<T>)Enumerable.Range(0, g.Count).Select(_ => g[random.Next(g.Count)]).ToArray()).ToList();
            result[b] = statistic(resampled);
        }
        return result;
    }

    /// <summary>The (2.5%, 97.5%) percentile interval of the finite replicates (NaN, NaN when none is finite).</summary>
    public static (double Low, double High) Interval(IEnumerable<double> replicates)
    {
        var finite = replicates.Where(double.IsFinite).Order().ToArray();
        return finite.Length == 0 ? (double.NaN, double.NaN) : (Quantile(finite, 0.025), Quantile(finite, 0.975));
    }

    /// <summary>Linear-interpolation quantile (type 7, R's default) of sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        double h = (sorted.Count - 1) * Math.Clamp(q, 0, 1);
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
