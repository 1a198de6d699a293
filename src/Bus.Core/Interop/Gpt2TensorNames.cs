using Bus.Core.Model;

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

    // Per block: HF suffix under transformer.h.{i}., the Bus suffixes (ParameterNames.BlockSuffixes) it fuses, Conv1D orientation.
    private static readonly (string Hf, string[] Bus, bool Conv1D)[] Block =
    [
        ("ln_1.weight", ["ln1.weight"], false),
        ("ln_1.bias", ["ln1.bias"], false),
        ("attn.c_attn.weight", ["attn.q.weight", "attn.k.weight", "attn.v.weight"], true),
        ("attn.c_attn.bias", ["attn.q.bias", "attn.k.bias", "attn.v.bias"], false),
        ("attn.c_proj.weight", ["attn.o.weight"], true),
        ("attn.c_proj.bias", ["attn.o.bias"], false),
        ("ln_2.weight", ["ln2.weight"], false),
        ("ln_2.bias", ["ln2.bias"], false),
        ("mlp.c_fc.weight", ["mlp.fc1.weight"], true),
        ("mlp.c_fc.bias", ["mlp.fc1.bias"], false),
        ("mlp.c_proj.weight", ["mlp.fc2.weight"], true),
        ("mlp.c_proj.bias", ["mlp.fc2.bias"], false),
    ];

    // Non-parameter buffers some GPT-2 checkpoints carry (the causal mask); they hold no weights and are skipped on import.
    private static readonly string[] MaskBuffers = ["attn.bias", "attn.masked_bias"];

    /// <summary>Every stored tensor except the head, in file order, for a model of <paramref name="layers"/> blocks.</summary>
    public static IEnumerable<HfTensor> Tensors(int layers)
    {
        yield return new(TokenEmbedding, [ParameterNames.TokenEmbedding], false);
        yield return new("transformer.wpe.weight", [ParameterNames.PositionEmbedding], false);
        for (int l = 0; l < layers; l++)
            foreach (var (hf, bus, conv1D) in Block)
                yield return new($"transformer.h.{l}.{hf}", bus.Select(s => ParameterNames.Block(l, s)).ToArray(), conv1D);
        yield return new("transformer.ln_f.weight", [ParameterNames.FinalNormWeight], false);
        yield return new(FinalNormBias, [ParameterNames.FinalNormBias], false);
    }

    /// <summary>True for the causal-mask buffers (<c>transformer.h.{i}.attn.bias|masked_bias</c>) older checkpoints store.</summary>
    public static bool IsMaskBuffer(string name) =>
        name.StartsWith("transformer.h.", StringComparison.Ordinal) && MaskBuffers.Any(b => name.EndsWith("." + b, StringComparison.Ordinal));
}
