namespace Bus.Core.Generation;

/// <summary>Picking one token from a logits vector: greedy argmax, or a seeded draw after temperature, top-k and top-p.</summary>
public static class TokenSampling
{
    /// <summary>The index of the largest logit (the first one on ties).</summary>
    /// <param name="logits">Logits over the vocabulary, [vocab].</param>
    public static int Greedy(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        RequireVector(logits);
        using var index = logits.argmax();
        return (int)index.item<long>();
    }

    /// <summary>Draws one index from softmax(<paramref name="logits"/>) with <paramref name="generator"/> (-∞ entries are never
    /// drawn).</summary>
    /// <param name="logits">Logits over the vocabulary, [vocab], on the generator's device.</param>
    /// <param name="generator">Random source; equal generator states give equal draws.</param>
    public static int Sample(Tensor logits, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(generator);
        RequireVector(logits);
        using var scope = NewDisposeScope();
        var probabilities = logits.to_type(float64).softmax(-1);
        return (int)multinomial(probabilities, 1, generator: generator).item<long>();
    }

    /// <summary>
    /// The token <paramref name="options"/> pick from <paramref name="logits"/>: <see cref="Greedy"/> at temperature 0,
    /// else <see cref="Temperature.Scale"/>, <see cref="TopK.Filter"/> and <see cref="TopP.Filter"/> (when set) and <see cref="Sample"/>.
    /// </summary>
    /// <param name="logits">Logits over the vocabulary, [vocab].</param>
    /// <param name="options">Temperature, top-k and top-p.</param>
    /// <param name="generator">Random source (unused when greedy).</param>
    public static int Pick(Tensor logits, GenerationOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsGreedy) return Greedy(logits);
        using var scope = NewDisposeScope();
        var filtered = Temperature.Scale(logits, options.Temperature);
        if (options.TopK is { } k) filtered = TopK.Filter(filtered, k);
        if (options.TopP < 1) filtered = TopP.Filter(filtered, options.TopP);
        return Sample(filtered, generator);
    }

    private static void RequireVector(Tensor logits)
    {
        if (logits.dim() != 1 || logits.shape[0] == 0)
            throw new ArgumentException($"Expected a logits vector [vocab], got [{string.Join(", ", logits.shape)}].", nameof(logits));
    }
}
