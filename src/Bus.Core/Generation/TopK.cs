namespace Bus.Core.Generation;

/// <summary>Top-k filtering (Fan et al. 2018) as a plain function on logits (usable without a model).</summary>
public static class TopK
{
    /// <summary>
    /// Sets every logit below the k-th largest on the last axis to -∞ (tokens tied with the k-th are kept, as Hugging
    /// Face's <c>TopKLogitsWarper</c> does); k at least the vocabulary returns an unchanged copy.
    /// </summary>
    /// <param name="logits">Logits over the vocabulary on the last axis.</param>
    /// <param name="k">Tokens to keep, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static Tensor Filter(Tensor logits, int k)
    {
        ArgumentNullException.ThrowIfNull(logits);
        Guard.Positive(k, nameof(k));
        if (k >= logits.shape[^1]) return logits.clone();
        using var scope = NewDisposeScope();
        var kth = logits.topk(k, dim: -1).values.narrow(-1, k - 1, 1);
        return logits.masked_fill(logits < kth, double.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
