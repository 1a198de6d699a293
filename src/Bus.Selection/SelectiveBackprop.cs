namespace Bus.Selection;

/// <summary>
/// Selective backprop's selection probability (Jiang et al. 2019, Sec. 3; lib/calculators.py):
/// P(loss) = max(0, percentile of loss among the recent losses)^beta. Pure functions for tests.
/// </summary>
public static class SelectiveBackprop
{
    /// <summary>Percentile of <paramref name="loss"/> in <paramref name="history"/> as a fraction in [0, 1].</summary>
    public static double Percentile(IReadOnlyCollection<double> history, double loss, PercentileKind kind)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("The loss history is empty.", nameof(history));
        int below = 0, atOrBelow = 0;
        foreach (var h in history)
        {
            if (h < loss) below++;
            if (h <= loss) atOrBelow++;
        }
        return kind switch
        {
            PercentileKind.Strict => (double)below / history.Count,
            // scipy: (left + right + (left < right)) * 50 / n, in percent
            PercentileKind.Rank => (below + atOrBelow + (below < atOrBelow ? 1 : 0)) * 0.5 / history.Count,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown percentile kind."),
        };
    }

    /// <summary>Selection probability of each loss: max(0, percentile)^<paramref name="beta"/>.</summary>
    public static double[] Probabilities(IReadOnlyCollection<double> history, IReadOnlyList<double> losses, double beta,
        PercentileKind kind)
    {
        ArgumentNullException.ThrowIfNull(losses);
        Guard.Positive(beta, nameof(beta));
        var p = new double[losses.Count];
        for (int i = 0; i < p.Length; i++) p[i] = Math.Pow(Math.Max(0, Percentile(history, losses[i], kind)), beta);
        return p;
    }

    /// <summary>
    /// Selective backprop in any training loop (the functional form, as Composer ships beside its trainer algorithm):
    /// appends this batch's per-example <paramref name="losses"/> to <paramref name="history"/> (before scoring, as
    /// lib/trainer.py does), then keeps example i with probability P_i = percentile^beta, one Bernoulli draw per example
    /// in order from <paramref name="random"/>. Returns the kept indices in ascending order; back-propagate the mean
    /// loss of those examples (no importance re-weighting).
    /// </summary>
    public static long[] Select(LossHistory history, IReadOnlyList<double> losses, double beta, PercentileKind kind, Random random)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentNullException.ThrowIfNull(random);
        history.AddRange(losses);
        var p = Probabilities(history.Values, losses, beta, kind);
        var keep = new List<long>(losses.Count);
        for (int i = 0; i < p.Length; i++)
            if (random.NextDouble() < p[i]) keep.Add(i);
        return [.. keep];
    }
}
