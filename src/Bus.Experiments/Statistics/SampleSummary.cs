namespace Bus.Experiments.Statistics;

/// <summary>Mean, sample standard deviation (n - 1) and a two-sided 95% t confidence interval of a sample.</summary>
/// <param name="Count">Sample size.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StandardDeviation">Sample standard deviation (0 for one value).</param>
/// <param name="Ci95Low">Lower end of the 95% CI (the mean when n = 1).</param>
/// <param name="Ci95High">Upper end of the 95% CI.</param>
public sealed record SampleSummary(int Count, double Mean, double StandardDeviation, double Ci95Low, double Ci95High)
{
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
