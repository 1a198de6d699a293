namespace Bus.Core.Interop;

/// <summary>
/// A probe file: token ids and the logits a model produced on them, as safetensors with <c>tokens</c> (int64
/// [batch, time]) and <c>logits</c> (float32 [batch, time, vocab]). Bus writes one next to an export and PyTorch
/// checks it (scripts/python/interop_check.py verify); PyTorch writes one next to its checkpoints and Bus checks it.
/// </summary>
public static class LogitProbe
{
    /// <summary>Writes <paramref name="batch"/> random full-length sequences (seeded) and <paramref name="model"/>'s logits on
    /// them.</summary>
    public static void Write(GrowableTransformer model, string path, long seed = 0, int batch = 4)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = model.training;
        model.eval();
        // Drawn on the CPU (seeded generators are per device), then run wherever the model lives.
        var tokens = randint(model.Config.VocabSize, [batch, model.Config.MaxLength], generator: new Generator((ulong)seed), dtype: int64);
        var logits = model.forward(tokens.to(model.Device));
        model.train(wasTraining);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["tokens"] = tokens, ["logits"] = logits });
    }

    /// <summary>max |logit difference| and max |logit| of <paramref name="model"/> against the probe at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file lacks <c>tokens</c> or <c>logits</c>, or their shapes do not fit the
    /// model.</exception>
    public static (double MaxDifference, double MaxLogit) Compare(GrowableTransformer model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var probe = SafeTensorsFile.Load(path);
        if (!probe.Tensors.TryGetValue("tokens", out var tokens) || !probe.Tensors.TryGetValue("logits", out var expected))
            throw new InvalidDataException($"'{path}' is not a probe: it needs tensors 'tokens' and 'logits'.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = model.training;
        model.eval();
        Tensor logits;
        try { logits = model.forward(tokens.to(int64).to(model.Device)).cpu().to_type(float64); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}': its tokens do not fit the model: {e.Message}", e); }
        finally { model.train(wasTraining); }
        if (!logits.shape.SequenceEqual(expected.shape))
            throw new InvalidDataException(
                $"'{path}': logits have shape [{string.Join(", ", expected.shape)}], the model gives [{string.Join(", ", logits.shape)}].");
        var reference = expected.to_type(float64);
        return ((logits - reference).abs().max().item<double>(), reference.abs().max().item<double>());
    }
}
