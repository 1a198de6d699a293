namespace Bus.Core.Model;

/// <summary>
/// Canonical parameter names shared by both families of <see cref="GrowableTransformer"/> (the axis roles of every
/// parameter live in <see cref="GptLayout"/> and <see cref="LlamaLayout"/>; the table below is the GPT family). Growth operators,
/// checkpoints and the ML.NET adapter map weights by these names (PyTorch <c>state_dict</c> style, <c>[out, in]</c> for linears):
/// <list type="table">
/// <item><term><c>tok_emb.weight</c></term><description>[vocab, d_model] token embedding</description></item>
/// <item><term><c>pos_emb.weight</c></term><description>[max_length, d_model] learned position embedding</description></item>
/// <item><term><c>blocks.{i}.ln1.weight|bias</c></term><description>[d_model] pre-attention LayerNorm</description></item>
/// <item><term><c>blocks.{i}.attn.{q,k,v}.weight|bias</c></term><description>[d_model, d_model] / [d_model]; heads are contiguous row
/// slices of width d_model/heads</description></item>
/// <item><term><c>blocks.{i}.attn.o.weight|bias</c></term><description>[d_model, d_model] / [d_model] output projection (writes the
/// residual stream)</description></item>
/// <item><term><c>blocks.{i}.ln2.weight|bias</c></term><description>[d_model] pre-MLP LayerNorm</description></item>
/// <item><term><c>blocks.{i}.mlp.fc1.weight|bias</c></term><description>[d_ff, d_model] / [d_ff]</description></item>
/// <item><term><c>blocks.{i}.mlp.fc2.weight|bias</c></term><description>[d_model, d_ff] / [d_model] (writes the residual
/// stream)</description></item>
/// <item><term><c>ln_f.weight|bias</c></term><description>[d_model] final LayerNorm</description></item>
/// <item><term><c>head.weight|bias</c></term><description>[classes or vocab, d_model] / [classes or vocab]</description></item>
/// </list>
/// </summary>
public static class ParameterNames
{
    /// <summary>Token embedding.</summary>
    public const string TokenEmbedding = "tok_emb.weight";
    /// <summary>Position embedding.</summary>
    public const string PositionEmbedding = "pos_emb.weight";
    /// <summary>Final LayerNorm weight.</summary>
    public const string FinalNormWeight = "ln_f.weight";
    /// <summary>Final LayerNorm bias.</summary>
    public const string FinalNormBias = "ln_f.bias";
    /// <summary>Head weight.</summary>
    public const string HeadWeight = "head.weight";
    /// <summary>Head bias.</summary>
    public const string HeadBias = "head.bias";

    /// <summary>Prefix of block <paramref name="layer"/>, e.g. <c>blocks.0.</c>.</summary>
    public static string Block(int layer) => $"blocks.{layer}.";

    /// <summary>Name of a parameter of block <paramref name="layer"/>, e.g. <c>Block(0, "attn.q.weight")</c>.</summary>
    public static string Block(int layer, string suffix) => $"blocks.{layer}.{suffix}";

    /// <summary>Suffixes of every parameter inside one GPT block, in layout order (read from <see cref="GptLayout"/>).</summary>
    public static readonly IReadOnlyList<string> BlockSuffixes =
        GptLayout.Layout.Rules.Where(r => r.PerBlock).Select(r => r.BlockSuffix).ToArray();

    /// <summary>True for norm gains of either family (the layouts' <see cref="ParameterKind.NormGain"/> rules), which start at 1 and are
    /// padded with 1.</summary>
    public static bool IsNormGain(string name) =>
        new[] { GptLayout.Layout, LlamaLayout.Untied }.Any(layout => layout.TryResolve(name, out var rule, out _)
            && rule.Kind == ParameterKind.NormGain);

    /// <summary>Splits <c>blocks.3.attn.q.weight</c> into (3, <c>attn.q.weight</c>); returns false for non-block names.</summary>
    public static bool TryParseBlock(string name, out int layer, out string suffix)
    {
        layer = -1;
        suffix = "";
        if (!name.StartsWith("blocks.", StringComparison.Ordinal)) return false;
        int dot = name.IndexOf('.', 7);
        if (dot < 0 || !int.TryParse(name.AsSpan(7, dot - 7), out layer)) return false;
        suffix = name[(dot + 1)..];
        return true;
    }
}
