using System.Globalization;
using System.Text.Json;
using Bus.Core.IO;
using Bus.Core.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Core.Training.Checkpointing;

/// <summary>
/// Writes and restores everything a run needs to continue bit for bit: model weights and config (growth stage
/// included), optimizer state (AdamW, Lion or any TorchSharp OptimizerHelper), the torch and Bus random states,
/// the epoch sampler, the budget spent, history, log, and every <see cref="ICheckpointable"/> selector or
/// algorithm. One atomic safetensors file.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string ModelPrefix = "model/";
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The loop's own counters that are not part of <see cref="TrainingState"/>.</summary>
    internal sealed record LoopState(double LossSum, long LossCount);

    public static void Save(string path, TrainingState state, Data.IExampleSampler sampler, BusRandom random, LoopState loop, IEnumerable<ICheckpointable> components)
    {
        using var scope = NewDisposeScope();
        using var checkpoint = new CheckpointState();
        foreach (var (name, p) in state.Module.named_parameters()) checkpoint.SetTensor(ModelPrefix + name, p);
        if (state.Module is GrowableTransformer transformer) checkpoint.SetString(ModelCheckpoint.ConfigKey, transformer.Config.ToJson());
        checkpoint.SetString(ModelCheckpoint.FormatKey, "bus-training/1");
        checkpoint.SetTensor("optimizer", BytesTensor(SaveOptimizer(state.Optimizer)));
        checkpoint.SetTensor("rng/torch", get_rng_state());
        checkpoint.SetTensor("sampler", tensor(sampler.State));
        checkpoint.SetString("rng/bus", string.Join(',', random.State.Select(v => v.ToString(CultureInfo.InvariantCulture))));
        var m = state.Meter;
        checkpoint.SetString("meter", JsonSerializer.Serialize(new double[] { m.Steps, m.Samples, m.Tokens, m.ForwardOnlySamples, m.Flops, m.ReferenceSeconds, m.WallClockSeconds }, Json));
        checkpoint.SetString("loop", JsonSerializer.Serialize(new double[] { loop.LossSum, loop.LossCount, state.Epoch, state.LastTrainLoss }, Json));
        checkpoint.SetString("history", JsonSerializer.Serialize(state.History, Json));
        checkpoint.SetString("log", JsonSerializer.Serialize(state.Log, Json));
        foreach (var c in components) c.SaveState(checkpoint);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        SafeTensorsFile.Save(path, checkpoint.Tensors, checkpoint.Metadata);
    }

    /// <summary>Restores a run; returns the loop counters. The state's model is replaced when the checkpoint's config differs (a later growth stage).</summary>
    public static LoopState Restore(string path, TrainingState state, Data.IExampleSampler sampler, BusRandom random, IEnumerable<ICheckpointable> components)
    {
        using var content = SafeTensorsFile.Load(path);
        var metadata = new Dictionary<string, string>(content.Metadata);
        var tensors = new Dictionary<string, Tensor>(content.Tensors);
        using var checkpoint = new CheckpointState(tensors.ToDictionary(kv => kv.Key, kv => kv.Value.alias()), metadata);
        var weights = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => kv.Value);
        if (state.Module is GrowableTransformer)
        {
            var config = TransformerConfig.FromJson(checkpoint.GetString(ModelCheckpoint.ConfigKey));
            if (config != state.Model.Config)
                state.ReplaceModel(new GrowableTransformer(config, state.Model.Device), "resumed from checkpoint at a later growth stage");
            state.Model.LoadWeights(weights);
        }
        else LoadParameters(state.Module, weights, path);
        LoadOptimizer(state.Optimizer, BytesOf(checkpoint.GetTensor("optimizer")));
        set_rng_state(checkpoint.GetTensor("rng/torch"));
        sampler.State = checkpoint.GetTensor("sampler").data<long>().ToArray();
        random.State = checkpoint.GetString("rng/bus").Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var meter = JsonSerializer.Deserialize<double[]>(checkpoint.GetString("meter"), Json)!;
        state.Meter.Restore((long)meter[0], (long)meter[1], (long)meter[2], (long)meter[3], meter[4], meter[5], meter[6]);
        var loop = JsonSerializer.Deserialize<double[]>(checkpoint.GetString("loop"), Json)!;
        state.Epoch = (int)loop[2];
        state.LastTrainLoss = loop[3];
        state.Restore(JsonSerializer.Deserialize<List<MetricsRecord>>(checkpoint.GetString("history"), Json)!,
                      JsonSerializer.Deserialize<List<string>>(checkpoint.GetString("log"), Json)!);
        foreach (var c in components) c.LoadState(checkpoint);
        return new LoopState(loop[0], (long)loop[1]);
    }

    /// <summary>Copies saved parameters into any module, by name; names and shapes must match exactly.</summary>
    private static void LoadParameters(nn.Module module, Dictionary<string, Tensor> weights, string path)
    {
        var parameters = module.named_parameters().ToList();
        var missing = parameters.Select(p => p.name).Where(n => !weights.ContainsKey(n)).ToList();
        if (missing.Count > 0 || weights.Count != parameters.Count)
            throw new InvalidDataException($"Checkpoint {path} holds {weights.Count} parameters; the module has {parameters.Count}{(missing.Count > 0 ? $" (missing: {string.Join(", ", missing.Take(5))})" : "")}.");
        using var noGrad = no_grad();
        foreach (var (name, p) in parameters)
        {
            var saved = weights[name];
            if (!saved.shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"Checkpoint {path}: parameter '{name}' has shape [{string.Join(",", saved.shape)}]; the module's is [{string.Join(",", p.shape)}].");
            p.copy_(saved);
        }
    }

    private static byte[] SaveOptimizer(optim.Optimizer optimizer)
    {
        var helper = optimizer as OptimizerHelper ?? throw new NotSupportedException($"Optimizer {optimizer.GetType().Name} cannot save its state: checkpointing needs a TorchSharp OptimizerHelper (AdamW, Lion, ...).");
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) helper.save_state_dict(writer);
        return stream.ToArray();
    }

    private static void LoadOptimizer(optim.Optimizer optimizer, byte[] bytes)
    {
        var helper = optimizer as OptimizerHelper ?? throw new NotSupportedException($"Optimizer {optimizer.GetType().Name} cannot load state.");
        using var reader = new BinaryReader(new MemoryStream(bytes));
        helper.load_state_dict(reader);
    }

    private static Tensor BytesTensor(byte[] bytes) => tensor(bytes, dtype: ScalarType.Byte);

    private static byte[] BytesOf(Tensor t) => t.data<byte>().ToArray();
}
