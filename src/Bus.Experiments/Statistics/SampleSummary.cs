namespace Bus.Experiments.Statistics;

/// <summary>Mean, sample standard deviation (n - 1) and a two-sided 95% t confidence interval of a sample.</summary>
/// <param name="Count">Sample size.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StandardDeviation">Sample standard deviation (0 for one value).</param>
/// <param name="Ci95Low">Lower end of the 95% CI (the mean when n = 1).</param>
/// <param name="Ci95High">Upper end of the 95% CI.</param>
public sealed record SampleSummary(int Count, double Mean, double StandardDeviation, double Ci95Low, double Ci95High)
{
    /// <summary>
    /// Summarises a metric bounded to [<paramref name="lower"/>, <paramref name="upper"/>] (accuracy: [0, 1]): the t
    /// interval intersected with that range. The true mean lies in the range, so the intersection covers it whenever the
    /// t interval does (same coverage), and an accuracy CI never reads above 100%.
    /// </summary>
    public static SampleSummary OfBounded(IEnumerable<double> values, double lower, double upper)
    {
        if (!(lower < upper)) throw new ArgumentException($"lower ({lower}) must be below upper ({upper}).", nameof(lower));
        var s = Of(values);
        return s with { Ci95Low = Math.Clamp(s.Ci95Low, lower, upper), Ci95High = Math.Clamp(s.Ci95High, lower, upper) };
    }

    /// <summary>Summarises a metric: bounded to [0, 1] when <paramref name="isAccuracy"/>, else unbounded.</summary>
    public static SampleSummary OfMetric(IEnumerable<double> values, bool isAccuracy) =>
        isAccuracy ? OfBounded(values, 0, 1) : Of(values);

    /// <summary>Summarises <paramref name="values"/> (at least one finite value).</summary>
    public static SampleSummary Of(IEnumerable<double> values)
    {
        var x = (values ?? throw new ArgumentNullException(nameof(values))).ToArray();
        if (x.Length == 0) throw new ArgumentException("Cannot summarise an empty sample.", nameof(values));
        double mean = x.Average();
        if (x.Length == 1) return new SampleSummary(1, mean, 0, mean, mean);
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
        double half = StudentT.Quantile(0.975, x.Length - 1) * sd / Math.Sqrt(x.Length);
        return new SampleSummary(x.Length, mean, sd, mean - half, mean + half);
    }
}
