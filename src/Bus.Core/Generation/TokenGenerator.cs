namespace Bus.Core.Generation;

/// <summary>
/// Autoregressive generation from a decoder <see cref="GrowableTransformer"/> of either family, on token ids: the prompt
/// runs through the model once, then each step picks a token from the last position's logits
/// (<see cref="TokenSampling.Pick"/>), yields it and feeds it back. With the key/value cache (the default) a step costs
/// one position's forward (<see cref="CachedTransformer"/>); without it every step reruns the full forward over the
/// whole sequence (<see cref="FunctionalTransformer"/>), with the same tokens. The prompt and
/// <see cref="GenerationOptions.MaxNewTokens"/> must fit in the model's context (MaxLength): a longer request is refused
/// before anything runs, rather than silently sliding a window.
/// </summary>
public static class TokenGenerator
{
    /// <summary>
    /// Generates up to <see cref="GenerationOptions.MaxNewTokens"/> token ids after <paramref name="prompt"/>, lazily:
    /// each id is yielded as soon as it is picked (stream it). Stops early after a stop token (which is not yielded) or
    /// when <paramref name="cancellationToken"/> is cancelled. Arguments are checked when this method is called.
    /// </summary>
    /// <param name="model">A decoder (Mode = Decoder) without a width growth mask in force.</param>
    /// <param name="prompt">At least one token id, each in 0..VocabSize-1.</param>
    /// <param name="options">Sampling, length and stop settings.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <exception cref="ArgumentException">
    /// The model is not a decoder, the prompt is empty or holds an id outside the vocabulary, a stop token is outside the
    /// vocabulary, or the prompt plus MaxNewTokens exceeds the model's MaxLength.
    /// </exception>
    /// <exception cref="InvalidOperationException">A growth mask is in force on the model.</exception>
    public static IEnumerable<int> Generate(GrowableTransformer model, IReadOnlyList<int> prompt, GenerationOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        Validate(model.Config, prompt, options);
        if (model.Mask is not null)
            throw new InvalidOperationException(
                "The model has a growth mask in force; generation runs the unmasked model (finish the ramp first).");
        return Run(model, prompt.ToArray(), options, cancellationToken);
    }

    /// <summary>Checks that <paramref name="prompt"/> and <paramref name="options"/> fit a decoder of shape <paramref
    /// name="config"/>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Generate"/>.</exception>
    public static void Validate(TransformerConfig config, IReadOnlyList<int> prompt, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        if (config.Mode != ModelMode.Decoder)
            throw new ArgumentException($"Generation needs a decoder (Mode = Decoder, e.g. a char LM); the model is an {config.Mode}.",
                nameof(config));
        if (prompt.Count == 0)
            throw new ArgumentException("The prompt must hold at least one token.", nameof(prompt));
        for (int i = 0; i < prompt.Count; i++)
            if (prompt[i] < 0 || prompt[i] >= config.VocabSize)
                throw new ArgumentException(
                    Invariant($"Prompt token {prompt[i]} at position {i} is outside the vocabulary 0..{config.VocabSize - 1}."),
                    nameof(prompt));
        foreach (int stop in options.StopTokens)
            if (stop >= config.VocabSize)
                throw new ArgumentException(Invariant($"Stop token {stop} is outside the vocabulary 0..{config.VocabSize - 1}."),
                    nameof(options));
        if ((long)prompt.Count + options.MaxNewTokens > config.MaxLength)
            throw new ArgumentException(
                Invariant($"MaxNewTokens {options.MaxNewTokens} after a prompt of {prompt.Count} tokens exceeds the model's context ")
                + Invariant($"of {config.MaxLength} tokens (MaxLength); ")
                + Invariant($"at most {Math.Max(0, config.MaxLength - prompt.Count)} new tokens fit."),
                nameof(options));
    }

    private static IEnumerable<int> Run(GrowableTransformer model, int[] prompt, GenerationOptions options, CancellationToken ct)
    {
        var config = model.Config;
        var device = model.Device;
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var dtype = weights[ParameterNames.TokenEmbedding].dtype;
        var stops = options.StopTokens.ToHashSet();
        using var generator = new Generator(unchecked((ulong)options.Seed));  // CPU: sampling runs on the CPU copy of the logits
        using var cache = options.UseKeyValueCache ? new KeyValueCache(config, prompt.Length + options.MaxNewTokens, device, dtype) : null;
        var sequence = new List<long>(prompt.Select(id => (long)id));
        var pending = sequence.ToArray(); // tokens the model has not seen yet
        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            ct.ThrowIfCancellationRequested();
            int next;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var logits = cache is null
                    ? FunctionalTransformer.Forward(weights, config, tensor(sequence.ToArray(), dtype: int64, device: device).unsqueeze(0))
                    : CachedTransformer.Forward(weights, cache, tensor(pending, dtype: int64, device: device).unsqueeze(0));
                var last = logits[0, -1].to(CPU).to_type(float32);
                next = TokenSampling.Pick(last, options, generator);
            }
            if (stops.Contains(next)) yield break;
            yield return next;
            sequence.Add(next);
            pending = [next];
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
