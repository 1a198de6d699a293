namespace Bus.Core.Interop;

/// <summary>
/// Bus's Llama-style <see cref="TransformerConfig"/> as Hugging Face's <c>LlamaConfig</c> (config.json) and back. Fixed
/// facts of Bus's Llama block: SiLU-gated MLP ("silu"), RMSNorm epsilon <see cref="RmsNorm.Epsilon"/>, no biases,
/// head_dim = hidden_size / num_attention_heads, plain rotary embedding (rope_type "default", read from either the v4
/// <c>rope_theta</c>/<c>rope_scaling</c> or the v5 <c>rope_parameters</c>: <see cref="LlamaRopeConfig"/>).
/// </summary>
internal static class LlamaConfig
{
    /// <summary>HF <c>model_type</c>.</summary>
    public const string ModelType = "llama";

    /// <summary>HF architecture class.</summary>
    public const string Architecture = "LlamaForCausalLM";

    /// <summary>The config.json fields for <paramref name="config"/>.</summary>
    public static Dictionary<string, object?> ToJson(TransformerConfig config) => new()
    {
        ["architectures"] = new[] { Architecture },
        ["model_type"] = ModelType,
        ["vocab_size"] = config.VocabSize,
        ["max_position_embeddings"] = config.MaxLength,
        ["hidden_size"] = config.DModel,
        ["intermediate_size"] = config.FeedForwardSize,
        ["num_hidden_layers"] = config.Layers,
        ["num_attention_heads"] = config.Heads,
        ["num_key_value_heads"] = config.KvHeads,
        ["head_dim"] = config.HeadDim,
        ["hidden_act"] = "silu",
        ["rms_norm_eps"] = RmsNorm.Epsilon,
        ["rope_theta"] = config.RopeTheta,
        ["rope_scaling"] = null,
        ["attention_bias"] = false,
        ["mlp_bias"] = false,
        ["attention_dropout"] = config.Dropout,
        ["tie_word_embeddings"] = config.TieEmbeddings,
        ["initializer_range"] = 0.02,
        ["bos_token_id"] = null,
        ["eos_token_id"] = null,
        ["torch_dtype"] = "float32",
    };

    /// <summary>The Bus config a Llama config.json describes; refuses what Bus cannot compute.</summary>
    /// <exception cref="InvalidDataException">A field is missing, malformed, or asks for a computation Bus's block does not do.</exception>
    public static TransformerConfig FromJson(HfConfigReader json)
    {
        var architectures = json.Strings("architectures");
        if (architectures.Count > 0 && !architectures.Contains(Architecture))
            throw json.Unsupported("architectures", $"Bus imports Llama models as {Architecture} (a causal LM head)");
        if ((json.Has("hidden_act") ? json.String("hidden_act") : "silu") != "silu")
            throw json.Unsupported("hidden_act", "Bus's Llama MLP is SwiGLU: down(silu(gate(x)) * up(x))");
        double eps = json.Number("rms_norm_eps", 1e-6);
        if (Math.Abs(eps - RmsNorm.Epsilon) > 1e-9 * RmsNorm.Epsilon)
            throw json.Unsupported("rms_norm_eps", $"Bus's RMSNorm uses epsilon {RmsNorm.Epsilon:G}");
        if (json.Bool("attention_bias", false)) throw json.Unsupported("attention_bias", "Bus's Llama attention has no biases");
        if (json.Bool("mlp_bias", false)) throw json.Unsupported("mlp_bias", "Bus's Llama MLP has no biases");
        double theta = LlamaRopeConfig.Theta(json);
        int dModel = json.PositiveInt("hidden_size"), heads = json.PositiveInt("num_attention_heads");
        if (dModel % heads != 0) throw json.Unsupported("num_attention_heads", $"it must divide hidden_size ({dModel})");
        if (json.OptionalPositiveInt("head_dim") is { } headDim && headDim != dModel / heads)
            throw json.Unsupported("head_dim", $"Bus's head_dim is hidden_size / num_attention_heads = {dModel / heads}");
        if (dModel / heads % 2 != 0)
            throw json.Unsupported("num_attention_heads",
                $"rotary embeddings need an even head_dim, and hidden_size / num_attention_heads = {dModel / heads}");
        int kvHeads = json.OptionalPositiveInt("num_key_value_heads") ?? heads;
        if (heads % kvHeads != 0) throw json.Unsupported("num_key_value_heads", $"it must divide num_attention_heads ({heads})");
        double dropout = json.Probability("attention_dropout");
        try
        {
            return new TransformerConfig
            {
                Architecture = ModelArchitecture.Llama,
                Mode = ModelMode.Decoder,
                VocabSize = json.PositiveInt("vocab_size"),
                MaxLength = json.PositiveInt("max_position_embeddings"),
                DModel = dModel,
                Heads = heads,
                KvHeads = kvHeads,
                FeedForwardSize = json.PositiveInt("intermediate_size"),
                Layers = json.PositiveInt("num_hidden_layers"),
                RopeTheta = theta,
                TieEmbeddings = json.Bool("tie_word_embeddings", false),
                Dropout = dropout,
            }.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{json.Path}' describes a model Bus cannot build: {e.Message}", e);
        }
    }
}
