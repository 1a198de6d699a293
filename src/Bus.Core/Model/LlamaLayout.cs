namespace Bus.Core.Model;

/// <summary>
/// The Llama family's parameters (<see cref="LlamaBlock"/>, <see cref="GroupedQueryAttention"/>, <see cref="SwiGluFeedForward"/>,
/// <see cref="RmsNorm"/>): no biases, no position table, k/v rows in key/value-head space. With tied embeddings there is no
/// head parameter: the head reads the residual stream through the token embedding, so the final RMSNorm gain is the
/// last thing before a read and its axis is marked as read (split under cloning, which keeps h E^T unchanged).
/// </summary>
public static class LlamaLayout
{
    private static readonly LayoutAxis Residual = new(AxisSpace.Residual);
    private static readonly LayoutAxis ReadsResidual = new(AxisSpace.Residual, Reads: true);
    private static readonly LayoutAxis Mlp = new(AxisSpace.Mlp);

    private static readonly ParameterRule[] Body =
    [
        new("tok_emb.weight", ParameterKind.Embedding, new(AxisSpace.Vocabulary), Residual),
        new("blocks.{i}.ln1.weight", ParameterKind.NormGain, Residual),
        new("blocks.{i}.attn.q.weight", ParameterKind.Weight, new(AxisSpace.QueryHeads), ReadsResidual),
        new("blocks.{i}.attn.k.weight", ParameterKind.Weight, new(AxisSpace.KeyValueHeads), ReadsResidual),
        new("blocks.{i}.attn.v.weight", ParameterKind.Weight, new(AxisSpace.KeyValueHeads), ReadsResidual),
        new("blocks.{i}.attn.o.weight", ParameterKind.Weight, Residual, new(AxisSpace.QueryHeads, Reads: true)),
        new("blocks.{i}.ln2.weight", ParameterKind.NormGain, Residual),
        new("blocks.{i}.mlp.gate.weight", ParameterKind.Weight, Mlp, ReadsResidual),
        new("blocks.{i}.mlp.up.weight", ParameterKind.Weight, Mlp, ReadsResidual),
        new("blocks.{i}.mlp.down.weight", ParameterKind.Weight, Residual, new(AxisSpace.Mlp, Reads: true)),
    ];

    /// <summary>Untied: a separate bias-free head [outputs, d_model] after the final RMSNorm.</summary>
    public static ModelLayout Untied { get; } = new("llama", NormKind.RmsNorm,
    [
        .. Body,
        new("ln_f.weight", ParameterKind.NormGain, Residual),
        new("head.weight", ParameterKind.Weight, new(AxisSpace.Outputs), ReadsResidual),
    ], rotaryHeads: true);

    /// <summary>Tied: logits = RMSNorm(h) E^T with E = <c>tok_emb.weight</c>; no head parameter.</summary>
    public static ModelLayout Tied { get; } = new("llama-tied", NormKind.RmsNorm,
    [
        .. Body,
        new("ln_f.weight", ParameterKind.NormGain, ReadsResidual),
    ], rotaryHeads: true);
}
