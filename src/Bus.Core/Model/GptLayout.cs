namespace Bus.Core.Model;

/// <summary>
/// The GPT family's parameters (<see cref="TransformerBlock"/>, <see cref="MultiHeadAttention"/>, <see cref="FeedForward"/>):
/// the only place that states which axis of which GPT parameter is the residual stream, a head or the MLP.
/// </summary>
public static class GptLayout
{
    private static readonly LayoutAxis Residual = new(AxisSpace.Residual);
    private static readonly LayoutAxis ReadsResidual = new(AxisSpace.Residual, Reads: true);
    private static readonly LayoutAxis Query = new(AxisSpace.QueryHeads);
    private static readonly LayoutAxis KeyValue = new(AxisSpace.KeyValueHeads);
    private static readonly LayoutAxis Mlp = new(AxisSpace.Mlp);

    /// <summary>The layout: embeddings, per-block LayerNorms, q/k/v/o, fc1/fc2 (all with biases), final LayerNorm, head.</summary>
    public static ModelLayout Layout { get; } = new("gpt", NormKind.LayerNorm,
    [
        new("tok_emb.weight", ParameterKind.Embedding, new(AxisSpace.Vocabulary), Residual),
        new("pos_emb.weight", ParameterKind.Embedding, new(AxisSpace.Positions), Residual),
        new("blocks.{i}.ln1.weight", ParameterKind.NormGain, Residual),
        new("blocks.{i}.ln1.bias", ParameterKind.NormBias, Residual),
        new("blocks.{i}.attn.q.weight", ParameterKind.Weight, Query, ReadsResidual),
        new("blocks.{i}.attn.q.bias", ParameterKind.Bias, Query),
        new("blocks.{i}.attn.k.weight", ParameterKind.Weight, KeyValue, ReadsResidual),
        new("blocks.{i}.attn.k.bias", ParameterKind.Bias, KeyValue),
        new("blocks.{i}.attn.v.weight", ParameterKind.Weight, KeyValue, ReadsResidual),
        new("blocks.{i}.attn.v.bias", ParameterKind.Bias, KeyValue),
        new("blocks.{i}.attn.o.weight", ParameterKind.Weight, Residual, new(AxisSpace.QueryHeads, Reads: true)),
        new("blocks.{i}.attn.o.bias", ParameterKind.Bias, Residual),
        new("blocks.{i}.ln2.weight", ParameterKind.NormGain, Residual),
        new("blocks.{i}.ln2.bias", ParameterKind.NormBias, Residual),
        new("blocks.{i}.mlp.fc1.weight", ParameterKind.Weight, Mlp, ReadsResidual),
        new("blocks.{i}.mlp.fc1.bias", ParameterKind.Bias, Mlp),
        new("blocks.{i}.mlp.fc2.weight", ParameterKind.Weight, Residual, new(AxisSpace.Mlp, Reads: true)),
        new("blocks.{i}.mlp.fc2.bias", ParameterKind.Bias, Residual),
        new("ln_f.weight", ParameterKind.NormGain, Residual),
        new("ln_f.bias", ParameterKind.NormBias, Residual),
        new("head.weight", ParameterKind.Weight, new(AxisSpace.Outputs), ReadsResidual),
        new("head.bias", ParameterKind.Bias, new(AxisSpace.Outputs)),
    ]);
}
