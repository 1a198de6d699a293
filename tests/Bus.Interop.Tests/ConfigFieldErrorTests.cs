namespace Bus.Interop.Tests;

/// <summary>Import refuses a config.json field Bus cannot compute faithfully (GPT-2 or Llama), naming the field and the value.</summary>
public sealed class ConfigFieldErrorTests
{
    /// <summary>The family ("gpt2" or "llama"), a config field, the JSON value written to it, the message pattern naming it.</summary>
    public static TheoryData<string, string, string, string> UnsupportedFields => new()
    {
        { "gpt2", "activation_function", "\"gelu_new\"", "*'activation_function' = \"gelu_new\"*exact erf GELU*" },
        { "gpt2", "layer_norm_epsilon", "1e-6", "*'layer_norm_epsilon'*epsilon 1E-05*" },
        { "gpt2", "model_type", "\"bert\"", "*'model_type' = \"bert\"*" },
        { "gpt2", "n_head", "3", "*'n_head' = 3*divide n_embd (32)*" },
        { "gpt2", "n_embd", "-4", "*'n_embd' = -4 must be a positive integer*" },
        { "gpt2", "scale_attn_by_inverse_layer_idx", "true", "*'scale_attn_by_inverse_layer_idx'*" },
        { "gpt2", "add_cross_attention", "true", "*'add_cross_attention' = true*no cross-attention*" },
        { "gpt2", "pruned_heads", "{\"0\": [1]}", "*'pruned_heads'*" },
        { "gpt2", "quantization_config", "{\"quant_method\": \"bitsandbytes\"}", "*'quantization_config'*float weights*" },
        { "gpt2", "resid_pdrop", "1.5", "*'resid_pdrop' = 1.5 must be in [0, 1)*" },
        { "gpt2", "attn_pdrop", "-0.1", "*'attn_pdrop' = -0.1 must be in [0, 1)*" },
        { "gpt2", "layer_norm_epsilon", "1e999", "*'layer_norm_epsilon' = 1e999 must be a finite number*" },
        { "llama", "hidden_act", "\"gelu\"", "*'hidden_act' = \"gelu\"*SwiGLU*" },
        { "llama", "rms_norm_eps", "1e-5", "*'rms_norm_eps'*" },
        { "llama", "rope_scaling", "{\"type\": \"linear\", \"factor\": 2.0}", "*'rope_scaling.type' = \"linear\"*plain rotary*" },
        { "llama", "attention_bias", "true", "*'attention_bias'*no biases*" },
        { "llama", "num_key_value_heads", "3", "*'num_key_value_heads' = 3*must divide num_attention_heads (4)*" },
        { "llama", "partial_rotary_factor", "0.5", "*'partial_rotary_factor' = 0.5*whole head*" },
        { "llama", "attention_dropout", "1", "*'attention_dropout' = 1 must be in [0, 1)*" },
        { "llama", "quantization_config", "{\"quant_method\": \"gptq\"}", "*'quantization_config'*" },
        { "llama", "head_dim", "16", "*'head_dim' = 16*" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedFields))]
    public void UnsupportedConfigFieldIsNamed(string family, string field, string value, string message)
    {
        using var temp = new TempDirectory();
        var (config, seed) = family == "llama"
            ? (Models.Llama(), 52)
            : (Models.Decoder(dModel: 32, heads: 2, feedForwardSize: 16, layers: 1), 11);
        using (var model = Models.Random(config, seed)) HuggingFaceCheckpoint.Save(model, temp.Path);
        HfFolder.EditConfig(temp.Path, json => json[field] = JsonNode.Parse(value));
        var act = () => HuggingFaceCheckpoint.Load(temp.Path);
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }
}
