namespace Bus.Core.Generation;

/// <summary>Softmax temperature as a plain function on logits (usable without a model).</summary>
public static class Temperature
{
    /// <summary>logits / <paramref name="temperature"/>: below 1 sharpens the distribution, above 1 flattens it.</summary>
    /// <param name="logits">Logits over the vocabulary on the last axis.</param>
    /// <param name="temperature">Finite and &gt; 0 (greedy decoding, temperature 0, takes the argmax instead of scaling).</param>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not finite and positive.</exception>
    public static Tensor Scale(Tensor logits, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        Guard.Positive(temperature, nameof(temperature));
        return logits / temperature;
    }
}
