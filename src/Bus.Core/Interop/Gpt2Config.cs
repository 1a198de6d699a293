namespace Bus.Core.Interop;

/// <summary>
/// Bus's GPT-style <see cref="TransformerConfig"/> as Hugging Face's <c>GPT2Config</c> (config.json) and back. Fixed facts
/// of Bus's GPT-style block: exact-erf GELU (TorchSharp's <c>gelu</c> default, HF's "gelu"; HF's GPT-2 default "gelu_new" is
/// the tanh approximation), LayerNorm epsilon 1e-5, attention scaled by 1/sqrt(head_dim). Sizes read here are checked
/// against the weights file's header before anything is allocated (<see cref="HfShapeCheck"/>).
/// </summary>
internal static class Gpt2Config
{
    /// <summary>HF <c>model_type</c>.</summary>
    public const string ModelType = "gpt2";

    /// <summary>HF architecture class.</summary>
    public const string Architecture = "GPT2LMHeadModel";

    /// <summary>Bus's GELU in HF's <c>ACT2FN</c> names.</summary>
    public const string Activation = "gelu";

    /// <summary>TorchSharp's <c>nn.LayerNorm</c> default epsilon, which Bus's blocks use.</summary>
    public const double LayerNormEpsilon = 1e-5;

    /// <summary>The config.json fields for <paramref name="config"/>.</summary>
    public static Dictionary<string, object?> ToJson(TransformerConfig config, bool tiedHead) => new()
    {
        ["architectures"] = new[] { Architecture },
        ["model_type"] = ModelType,
        ["vocab_size"] = config.VocabSize,
        ["n_positions"] = config.MaxLength,
        ["n_ctx"] = config.MaxLength,
        ["n_embd"] = config.DModel,
        ["n_layer"] = config.Layers,
        ["n_head"] = config.Heads,
        ["n_inner"] = config.FeedForwardSize,
        ["activation_function"] = Activation,
        ["layer_norm_epsilon"] = LayerNormEpsilon,
        ["resid_pdrop"] = config.Dropout,
        ["embd_pdrop"] = config.Dropout,
        ["attn_pdrop"] = config.Dropout,
        ["initializer_range"] = 0.02,
        ["scale_attn_weights"] = true,
        ["scale_attn_by_inverse_layer_idx"] = false,
        ["reorder_and_upcast_attn"] = false,
        ["tie_word_embeddings"] = tiedHead,
        ["bos_token_id"] = null,
        ["eos_token_id"] = null,
        ["torch_dtype"] = "float32",
    };

    /// <summary>The Bus config a GPT-2 config.json describes, and whether its head is tied; refuses what Bus cannot compute.</summary>
    /// <exception cref="InvalidDataException">A field is missing, malformed, or asks for a computation Bus's block does not do.</exception>
    public static (TransformerConfig Config, bool TiedHead) FromJson(HfConfigReader json)
    {
        var architectures = json.Strings("architectures");
        if (architectures.Count > 0 && !architectures.Contains(Architecture))
            throw json.Unsupported("architectures", $"Bus imports GPT-2 models as {Architecture} (a causal LM head)");
        string activation = json.Has("activation_function") ? json.String("activation_function") : "gelu_new";
        if (activation != Activation)
            throw json.Unsupported("activation_function",
                "Bus's GPT-style MLP computes the exact erf GELU (\"gelu\"); the default \"gelu_new\" is the tanh approximation");
        double eps = json.Number("layer_norm_epsilon", LayerNormEpsilon);
        if (Math.Abs(eps - LayerNormEpsilon) > 1e-9 * LayerNormEpsilon)
            throw json.Unsupported("layer_norm_epsilon", $"Bus's LayerNorm uses epsilon {LayerNormEpsilon:G}");
        if (!json.Bool("scale_attn_weights", true))
            throw json.Unsupported("scale_attn_weights", "Bus scales attention scores by 1/sqrt(head_dim)");
        if (json.Bool("scale_attn_by_inverse_layer_idx", false))
            throw json.Unsupported("scale_attn_by_inverse_layer_idx", "Bus does not scale attention by the layer index");
        if (json.Bool("add_cross_attention", false))
            throw json.Unsupported("add_cross_attention", "Bus's GPT-style blocks have no cross-attention (an encoder-decoder's decoder)");
        if (json.NonEmpty("pruned_heads"))
            throw json.Unsupported("pruned_heads", "Bus's attention layers all have n_head heads");
        int dModel = json.PositiveInt("n_embd"), heads = json.PositiveInt("n_head");
        if (dModel % heads != 0)
            throw json.Unsupported("n_head", $"it must divide n_embd ({dModel})");
        if (!json.Has("n_inner") && 4L * dModel > int.MaxValue)
            throw json.Unsupported("n_embd", "the default n_inner, 4 x n_embd, does not fit a 32-bit size");
        // Bus has one dropout rate; the residual one is taken (the others matter only when training on).
        double dropout = json.Probability("resid_pdrop");
        json.Probability("embd_pdrop");
        json.Probability("attn_pdrop");
        try
        {
            var config = new TransformerConfig
            {
                Mode = ModelMode.Decoder,
                VocabSize = json.PositiveInt("vocab_size"),
                MaxLength = json.PositiveInt("n_positions"),
                DModel = dModel,
                Heads = heads,
                FeedForwardSize = json.OptionalPositiveInt("n_inner") ?? 4 * dModel,
                Layers = json.PositiveInt("n_layer"),
                Dropout = dropout,
            }.Validate();
            return (config, json.Bool("tie_word_embeddings", true));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{json.Path}' describes a model Bus cannot build: {e.Message}", e);
        }
    }
}
