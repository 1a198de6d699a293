namespace Bus.Core.Interop;

/// <summary>
/// The name table of Hugging Face's <c>GPT2LMHeadModel</c> (transformers/models/gpt2/modeling_gpt2.py) against Bus's
/// GPT-style <see cref="GrowableTransformer"/>: the one place that knows GPT-2's names. The head is not in the table:
/// <c>lm_head.weight</c> is tied to <c>transformer.wte.weight</c> unless <c>tie_word_embeddings</c> is false, and GPT-2's
/// head has no bias (see <see cref="HeadBiasFolding"/>).
/// </summary>
internal static class Gpt2TensorNames
{
    /// <summary>The untied output projection, present only when <c>tie_word_embeddings</c> is false.</summary>
    public const string LmHead = "lm_head.weight";

    /// <summary>The token embedding (the tied head's weight).</summary>
    public const string TokenEmbedding = "transformer.wte.weight";

    /// <summary>The final LayerNorm's bias (the head bias is folded into it on export).</summary>
    public const string FinalNormBias = "transformer.ln_f.bias";

    // Per block: HF suffix under transformer.h.{i}., the Bus suffixes (ParameterNames.BlockSuffixes) it fuses, Conv1D orientation,
    // and the HF shape in units of (d = n_embd, f = n_inner): 'd', '3' (3 x n_embd) or 'f'.
    private static readonly (string Hf, string[] Bus, bool Conv1D, string Shape)[] Block =
    [
        ("ln_1.weight", ["ln1.weight"], false, "d"),
        ("ln_1.bias", ["ln1.bias"], false, "d"),
        ("attn.c_attn.weight", ["attn.q.weight", "attn.k.weight", "attn.v.weight"], true, "d3"),
        ("attn.c_attn.bias", ["attn.q.bias", "attn.k.bias", "attn.v.bias"], false, "3"),
        ("attn.c_proj.weight", ["attn.o.weight"], true, "dd"),
        ("attn.c_proj.bias", ["attn.o.bias"], false, "d"),
        ("ln_2.weight", ["ln2.weight"], false, "d"),
        ("ln_2.bias", ["ln2.bias"], false, "d"),
        ("mlp.c_fc.weight", ["mlp.fc1.weight"], true, "df"),
        ("mlp.c_fc.bias", ["mlp.fc1.bias"], false, "f"),
        ("mlp.c_proj.weight", ["mlp.fc2.weight"], true, "fd"),
        ("mlp.c_proj.bias", ["mlp.fc2.bias"], false, "d"),
    ];

    // Non-parameter buffers some GPT-2 checkpoints carry (the causal mask); they hold no weights and are skipped on import.
    private static readonly string[] MaskBuffers = ["attn.bias", "attn.masked_bias"];

    /// <summary>The prefix of every name but the head's; the Hub's original GPT-2 files store the names without it.</summary>
    public const string Prefix = "transformer.";

    /// <summary>
    /// Every stored tensor except the head, in file order, for <paramref name="config"/> (shapes as config.json gives them).
    /// </summary>
    public static IEnumerable<HfTensor> Tensors(TransformerConfig config)
    {
        var d = new HfDim(config.DModel, "n_embd");
        var units = new Dictionary<char, HfDim>
        {
            ['d'] = d,
            ['3'] = new(3L * config.DModel, "3 x n_embd"),
            ['f'] = new(config.FeedForwardSize, "n_inner (default 4 x n_embd)"),
        };
        yield return new(TokenEmbedding, [ParameterNames.TokenEmbedding], [new(config.VocabSize, "vocab_size"), d]);
        yield return new(Prefix + "wpe.weight", [ParameterNames.PositionEmbedding], [new(config.MaxLength, "n_positions"), d]);
        for (int l = 0; l < config.Layers; l++)
            foreach (var (hf, bus, conv1D, shape) in Block)
                yield return new($"{Prefix}h.{l}.{hf}", bus.Select(s => ParameterNames.Block(l, s)).ToArray(),
                    shape.Select(c => units[c]).ToArray(), conv1D);
        yield return new(Prefix + "ln_f.weight", [ParameterNames.FinalNormWeight], [d]);
        yield return new(FinalNormBias, [ParameterNames.FinalNormBias], [d]);
    }

    /// <summary>The untied head's shape, [vocab_size, n_embd].</summary>
    public static HfDim[] LmHeadShape(TransformerConfig config) => [new(config.VocabSize, "vocab_size"), new(config.DModel, "n_embd")];

    /// <summary>True for the causal-mask buffers (<c>transformer.h.{i}.attn.bias|masked_bias</c>) older checkpoints store.</summary>
    public static bool IsMaskBuffer(string name) =>
        name.StartsWith(Prefix + "h.", StringComparison.Ordinal) && MaskBuffers.Any(b => name.EndsWith("." + b, StringComparison.Ordinal));

    /// <summary>True for <c>attn.masked_bias</c>, the scalar fill value of the old mask (the other buffer is the mask itself).</summary>
    public static bool IsMaskFill(string name) => name.EndsWith(".attn.masked_bias", StringComparison.Ordinal);
}
