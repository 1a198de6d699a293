namespace Bus.Core.Training;

/// <summary>
/// Matmul FLOPs of the transformer (Kaplan et al. 2020, table 1): forward = 2 * N_active * tokens +
/// 2 * 2 * layers * T * d_model per token for attention scores and values; backward = 2 x forward.
/// </summary>
public static class FlopCounter
{
    /// <summary>Forward matmul FLOPs per token for <paramref name="config"/> with <paramref name="activeLayers"/> blocks.</summary>
    public static double ForwardPerToken(TransformerConfig config, int sequenceLength, int activeLayers)
    {
        ArgumentNullException.ThrowIfNull(config);
        double d = config.DModel, ff = config.FeedForwardSize, kv = (double)config.KvHeads * config.HeadDim;
        double mlpMatrices = config.Architecture == ModelArchitecture.Llama ? 3 : 2; // SwiGLU gate/up/down or fc1/fc2
        double perBlockWeights = 2 * d * d + 2 * d * kv + mlpMatrices * d * ff; // q, o; k, v (kv heads); the MLP
        double attention = 2 * sequenceLength * d;                      // QK^T and AV per token
        double head = d * config.OutputSize;
        return 2 * (activeLayers * perBlockWeights + head) + 2 * activeLayers * attention;
    }

    /// <summary>
    /// FLOPs of one pass of a module known only by its parameter count (Kaplan et al. 2020, the C = 6N rule):
    /// forward = 2 × N × tokens, where tokens = batch × sequence length (1 for non-sequence data); ×3 with backward.
    /// </summary>
    public static double Estimate(long parameters, StepCost cost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameters);
        double forward = 2.0 * parameters * cost.BatchSize * cost.SequenceLength;
        return cost.ForwardOnly ? forward : 3 * forward;
    }

    /// <summary>FLOPs of one pass described by <paramref name="cost"/> (x3 for forward + backward).</summary>
    public static double Estimate(TransformerConfig config, StepCost cost)
    {
        double forward = ForwardPerToken(config, cost.SequenceLength, cost.ActiveLayers) * cost.BatchSize * cost.SequenceLength;
        return cost.ForwardOnly ? forward : 3 * forward;
    }
}
