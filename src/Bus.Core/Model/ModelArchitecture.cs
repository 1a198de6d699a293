namespace Bus.Core.Model;

/// <summary>The family of blocks a <see cref="GrowableTransformer"/> is built from.</summary>
public enum ModelArchitecture
{
    /// <summary>GPT-2 style: learned positions, pre-LayerNorm blocks, GELU MLP, biases everywhere (JSON "gpt").</summary>
    Gpt,

    /// <summary>Llama style: rotary positions, pre-RMSNorm blocks, SwiGLU MLP, grouped-query attention, no biases (JSON "llama").</summary>
    Llama,
}
