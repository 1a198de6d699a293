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

    /// <summary>The prefix of every name but the head's (a bare <c>LlamaModel</c> checkpoint stores the names without it).</summary>
    public const string Prefix = "model.";

    // Per block: HF suffix under model.layers.{i}., the Bus suffix under blocks.{i}., the shape in units of
    // (h = hidden_size, k = num_key_value_heads x head_dim, i = intermediate_size).
    private static readonly (string Hf, string Bus, string Shape)[] Block =
    [
        ("input_layernorm.weight", "ln1.weight", "h"),
        ("self_attn.q_proj.weight", "attn.q.weight", "hh"),
        ("self_attn.k_proj.weight", "attn.k.weight", "kh"),
        ("self_attn.v_proj.weight", "attn.v.weight", "kh"),
        ("self_attn.o_proj.weight", "attn.o.weight", "hh"),
        ("post_attention_layernorm.weight", "ln2.weight", "h"),
        ("mlp.gate_proj.weight", "mlp.gate.weight", "ih"),
        ("mlp.up_proj.weight", "mlp.up.weight", "ih"),
        ("mlp.down_proj.weight", "mlp.down.weight", "hi"),
    ];

    /// <summary>Every stored tensor except the head, for <paramref name="config"/> (shapes as config.json gives them).</summary>
    public static IEnumerable<HfTensor> Tensors(TransformerConfig config)
    {
        var h = new HfDim(config.DModel, "hidden_size");
        var units = new Dictionary<char, HfDim>
        {
            ['h'] = h,
            ['k'] = new((long)config.KvHeads * config.HeadDim, "num_key_value_heads x head_dim"),
            ['i'] = new(config.FeedForwardSize, "intermediate_size"),
        };
        yield return new(Prefix + "embed_tokens.weight", [ParameterNames.TokenEmbedding], [new(config.VocabSize, "vocab_size"), h]);
        for (int l = 0; l < config.Layers; l++)
            foreach (var (hf, bus, shape) in Block)
                yield return new($"{Prefix}layers.{l}.{hf}", [ParameterNames.Block(l, bus)], shape.Select(c => units[c]).ToArray());
        yield return new(Prefix + "norm.weight", [ParameterNames.FinalNormWeight], [h]);
    }

    /// <summary>The untied head's shape, [vocab_size, hidden_size].</summary>
    public static HfDim[] LmHeadShape(TransformerConfig config) => [new(config.VocabSize, "vocab_size"), new(config.DModel, "hidden_size")];

    /// <summary>True for the rotary <c>inv_freq</c> buffers older Llama checkpoints store (recomputed from rope_theta, not
    /// weights).</summary>
    public static bool IsRotaryBuffer(string name) =>
        name.StartsWith(Prefix + "layers.", StringComparison.Ordinal)
        && name.EndsWith(".self_attn.rotary_emb.inv_freq", StringComparison.Ordinal);
}
