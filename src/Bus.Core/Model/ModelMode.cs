namespace Bus.Core.Model;

/// <summary>How the transformer reads its input.</summary>
public enum ModelMode
{
    /// <summary>Bidirectional attention, one label per token (the letter-counting task).</summary>
    Encoder,

    /// <summary>Causal attention, next-token prediction (the character language model).</summary>
    Decoder,
}
