namespace Bus.Core.Generation;

/// <summary>Top-p (nucleus) filtering (Holtzman et al. 2020, sec. 3.1) as a plain function on logits (usable without a model).</summary>
public static class TopP
{
    /// <summary>
    /// Keeps the nucleus, the smallest set of most likely tokens whose softmax probability sums to at least
    /// <paramref name="p"/>, and sets every other logit to -∞. The most likely token is always kept; p = 1 returns an
    /// unchanged copy. A token is dropped when the tokens ranked above it already hold mass p.
    /// </summary>
    /// <param name="logits">Logits over the vocabulary on the last axis.</param>
    /// <param name="p">Nucleus mass in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside (0, 1].</exception>
    public static Tensor Filter(Tensor logits, double p)
    {
        ArgumentNullException.ThrowIfNull(logits);
        Guard.InRange(p, 0, 1, nameof(p), minExclusive: true);
        if (p == 1) return logits.clone();
        using var scope = NewDisposeScope();
        var (sorted, order) = logits.sort(dim: -1, descending: true);
        var probabilities = sorted.softmax(-1);
        var massAbove = probabilities.cumsum(-1) - probabilities;   // probability of the tokens ranked above each one
        var dropSorted = massAbove >= p;
        var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted); // back to vocabulary order
        return logits.masked_fill(drop, double.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
