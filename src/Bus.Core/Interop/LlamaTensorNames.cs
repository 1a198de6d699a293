using Bus.Core.Model;

namespace Bus.Core.Interop;

/// <summary>
/// The name table of Hugging Face's <c>LlamaForCausalLM</c> (transformers/models/llama/modeling_llama.py) against Bus's
/// Llama-style <see cref="GrowableTransformer"/>: the one place that knows Llama's names. Every weight is an
/// <c>nn.Linear</c> [out, in] like Bus's, with no biases, so tensors map one to one. The head is not in the table:
/// <c>lm_head.weight</c> is absent when <c>tie_word_embeddings</c> (Bus: <see cref="TransformerConfig.TieEmbeddings"/>).
/// </summary>
internal static class LlamaTensorNames
{
    /// <summary>The untied output projection.</summary>
    public const string LmHead = "lm_head.weight";

    // Per block: HF suffix under model.layers.{i}., the Bus suffix under blocks.{i}.
    private static readonly (string Hf, string Bus)[] Block =
    [
        ("input_layernorm.weight", "ln1.weight"),
        ("self_attn.q_proj.weight", "attn.q.weight"),
        ("self_attn.k_proj.weight", "attn.k.weight"),
        ("self_attn.v_proj.weight", "attn.v.weight"),
        ("self_attn.o_proj.weight", "attn.o.weight"),
        ("post_attention_layernorm.weight", "ln2.weight"),
        ("mlp.gate_proj.weight", "mlp.gate.weight"),
        ("mlp.up_proj.weight", "mlp.up.weight"),
        ("mlp.down_proj.weight", "mlp.down.weight"),
    ];

    /// <summary>Every stored tensor except the head, for a model of <paramref name="layers"/> blocks.</summary>
    public static IEnumerable<HfTensor> Tensors(int layers)
    {
        yield return new("model.embed_tokens.weight", [ParameterNames.TokenEmbedding]);
        for (int l = 0; l < layers; l++)
            foreach (var (hf, bus) in Block)
                yield return new($"model.layers.{l}.{hf}", [ParameterNames.Block(l, bus)]);
        yield return new("model.norm.weight", [ParameterNames.FinalNormWeight]);
    }

    /// <summary>True for the rotary <c>inv_freq</c> buffers older Llama checkpoints store (recomputed from rope_theta, not weights).</summary>
    public static bool IsRotaryBuffer(string name) =>
        name.StartsWith("model.layers.", StringComparison.Ordinal) && name.EndsWith(".self_attn.rotary_emb.inv_freq", StringComparison.Ordinal);
}
