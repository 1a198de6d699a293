using Bus.Core.Checkpoints.SafeTensors;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// <c>bus train --init MODEL</c>: a new run's starting weights, from a Bus model (a <c>.safetensors</c> file written by
/// <c>bus train --save</c> or <c>bus import-hf</c>) or a Hugging Face folder (GPT2LMHeadModel or LlamaForCausalLM, read as
/// <c>bus import-hf</c> reads it). Weights only: the optimizer, schedule and step count start fresh. The model's shape
/// must be the run's (the CLI's shape options); otherwise one error lists every differing field.
/// </summary>
internal static class InitialWeights
{
    /// <summary>Checks that <paramref name="path"/> exists (before any work).</summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a folder.</exception>
    public static void RequireExists(string? path)
    {
        if (path is not null && !File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"--init {path}: no such model file or Hugging Face folder.", path);
    }

    /// <summary>Copies the weights of the model at <paramref name="path"/> into <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The saved model's shape differs from <paramref name="model"/>'s (fields named).</exception>
    /// <exception cref="InvalidDataException">The file or folder is not a model Bus can read.</exception>
    public static void Load(string path, GrowableTransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Directory.Exists(path) && TrainingCheckpointWeights(path, model)) return;
        using var source = Directory.Exists(path) ? HuggingFaceCheckpoint.Load(path) : ModelCheckpoint.Load(path);
        RequireSameShape(path, source.Config, model.Config);
        model.LoadWeights(source.named_parameters().ToDictionary(p => p.name, p => (TorchSharp.torch.Tensor)p.parameter));
    }

    /// <summary>
    /// A training checkpoint (<c>last.safetensors</c> of a <c>--checkpoint-dir</c>): its model weights, under "model/", are
    /// loaded into <paramref name="model"/>; returns false for any other file.
    /// </summary>
    private static bool TrainingCheckpointWeights(string path, GrowableTransformer model)
    {
        using var content = SafeTensorsFile.Load(path);
        if (content.Metadata.GetValueOrDefault(ModelCheckpoint.FormatKey) != TrainingFormat) return false;
        var config = TransformerConfig.FromJson(content.Metadata.GetValueOrDefault(ModelCheckpoint.ConfigKey)
            ?? throw new InvalidDataException($"--init {path}: the training checkpoint has no '{ModelCheckpoint.ConfigKey}' entry."));
        RequireSameShape(path, config, model.Config);
        model.LoadWeights(content.Tensors.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value));
        return true;
    }

    private const string TrainingFormat = "bus-training/1";
    private const string Prefix = "model/";

    private static void RequireSameShape(string path, TransformerConfig saved, TransformerConfig run)
    {
        var differences = Differences(saved, run);
        if (differences.Count > 0)
            throw new ArgumentException($"--init {path}: the model's shape differs from this run's ({string.Join("; ", differences)}); "
                + "set --arch, --task, --d, --layers, --heads, --kv-heads, --context or --tie-embeddings to the model's.", "--init");
    }

    /// <summary>Every config field except dropout (a training setting, not a shape) that differs, as "field: model X, run Y".</summary>
    private static List<string> Differences(TransformerConfig saved, TransformerConfig run)
    {
        // KvHeads defaults to Heads and is written only when set: compare the effective value.
        using var a = JsonDocument.Parse((saved with { KvHeads = saved.KvHeads }).ToJson());
        using var b = JsonDocument.Parse((run with { KvHeads = run.KvHeads }).ToJson());
        var runFields = b.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        return a.RootElement.EnumerateObject()
            .Where(p => p.Name != "dropout" && runFields.GetValueOrDefault(p.Name) != p.Value.ToString())
            .Select(p => $"{p.Name}: model {p.Value}, run {runFields.GetValueOrDefault(p.Name) ?? "(none)"}")
            .ToList();
    }
}
