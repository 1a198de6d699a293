using static TorchSharp.torch;

namespace Bus.MLNet.Training;

/// <summary>
/// The sequence classifier's read-out, used by training and by inference alike (one definition):
/// per-token logits [B, T, C] and real-character counts [B] to one row of logits [B, C].
/// </summary>
internal static class PooledLogits
{
    /// <summary>
    /// Mean: z_b = Σ_t m_bt ℓ_bt / Σ_t m_bt with m_bt = [t &lt; max(len_b, 1)] (an empty text reads position 0);
    /// First: z_b = ℓ_b0; PerToken: z_b = mean over all T positions.
    /// </summary>
    public static Tensor Pool(Tensor logits, Tensor lengths, SequencePooling pooling)
    {
        using var scope = NewDisposeScope();
        long t = logits.shape[1];
        var pooled = pooling switch
        {
            SequencePooling.First => logits.select(1, 0),
            SequencePooling.PerToken => logits.mean([1]),
            SequencePooling.Mean => MeanOverText(logits, lengths, t),
            _ => throw new ArgumentOutOfRangeException(nameof(pooling), pooling, $"Unknown pooling {pooling}."),
        };
        return pooled.MoveToOuterDisposeScope();
    }

    private static Tensor MeanOverText(Tensor logits, Tensor lengths, long t)
    {
        var positions = arange(t, dtype: ScalarType.Int64, device: logits.device).unsqueeze(0);
        var mask = positions.lt(lengths.clamp_min(1).unsqueeze(1)).to_type(logits.dtype).unsqueeze(2); // [B, T, 1]
        return (logits * mask).sum([1]) / mask.sum([1]);
    }
}
