namespace Bus.Core.Checkpoints;

/// <summary>
/// Writes and restores everything a run needs to continue bit for bit: model weights and config (growth stage
/// included), optimizer state (AdamW, Lion or any TorchSharp OptimizerHelper), the torch and Bus random states,
/// the epoch sampler, the budget spent, history, log, and every <see cref="ICheckpointable"/> selector or
/// algorithm. One atomic safetensors file.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string ModelPrefix = "model/";
    private static readonly JsonSerializerOptions Json =
        new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Checkpoint metadata key of the run's rescues (<see cref="RescueEvent"/>).</summary>
    public const string RescuesKey = "run/rescues";

    /// <summary>The loop's own counters that are not part of <see cref="TrainingState"/>.</summary>
    internal sealed record LoopState(double LossSum, long LossCount)
    {
        /// <summary>A rescue's restore: the checkpoint's learning rate (null otherwise).</summary>
        public double? RescuedFromLearningRate { get; init; }
    }

    public static void Save(string path, TrainingState state, Data.IExampleSampler sampler, BusRandom random, LoopState loop,
        IEnumerable<ICheckpointable> components, RunFingerprint fingerprint)
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
        checkpoint.SetString("meter", JsonSerializer.Serialize(
            new double[] { m.Steps, m.Samples, m.Tokens, m.ForwardOnlySamples, m.Flops, m.ReferenceSeconds, m.WallClockSeconds }, Json));
        checkpoint.SetString(
            "loop", JsonSerializer.Serialize(new double[] { loop.LossSum, loop.LossCount, state.Epoch, state.LastTrainLoss }, Json));
        checkpoint.SetString("history", JsonSerializer.Serialize(state.History, Json));
        checkpoint.SetString("log", JsonSerializer.Serialize(state.Log, Json));
        checkpoint.SetString("growths", JsonSerializer.Serialize(state.Growths, Json));
        if (state.Rescues.Count > 0) checkpoint.SetString(RescuesKey, JsonSerializer.Serialize(state.Rescues, Json));
        checkpoint.SetString(RunFingerprint.MetadataKey, fingerprint.ToJson());
        checkpoint.SetString(SchedulePlan.Key, SchedulePlan.Of(state.Options.Budget, state.Schedule).ToJson());
        foreach (var c in components) c.SaveState(checkpoint);
        foreach (var (key, value) in state.Options.Checkpoint?.Metadata ?? new Dictionary<string, string>())
            if (!checkpoint.HasString(key)) checkpoint.SetString(key, value);
        // Never a checkpoint with a non-finite value: the last finite one stays on disk (docs/reliability.md).
        var nonFinite = checkpoint.Tensors.Where(kv => !NonFiniteGuard.AllFinite([kv.Value])).Select(kv => kv.Key).ToList();
        if (nonFinite.Count > 0)
            throw new InvalidOperationException(
                $"Refusing to write checkpoint '{path}' at step {m.Steps}: non-finite values in {string.Join(", ", nonFinite.Take(5))}; " +
                $"the previous checkpoint is kept.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        SafeTensorsFile.Save(path, checkpoint.Tensors, checkpoint.Metadata, checksum: true);
    }

    /// <summary>
    /// Restores a run; returns the loop counters. Refuses (<see cref="ResumeMismatchException"/>) a checkpoint written by
    /// a run with another fingerprint. The state's model is replaced when the checkpoint's config differs, which only a
    /// run with a model-replacing algorithm (<paramref name="growthAllowed"/>: a later growth stage) accepts. Every entry
    /// is validated in C# before native code sees it; a bad entry is an <see cref="InvalidDataException"/> naming it. A
    /// <paramref name="rescue"/> accepts a different learning rate, and only that (<see cref="CheckpointOptions.Rescue"/>); an
    /// <paramref name="extend"/> accepts a larger budget when the schedule allows it (<see cref="CheckpointOptions.Extend"/>).
    /// </summary>
    public static LoopState Restore(string path, TrainingState state, Data.IExampleSampler sampler, BusRandom random,
        IEnumerable<ICheckpointable> components, RunFingerprint fingerprint, bool growthAllowed, bool rescue = false, bool extend = false)
    {
        using var content = SafeTensorsFile.Load(path);
        var metadata = new Dictionary<string, string>(content.Metadata);
        var tensors = new Dictionary<string, Tensor>(content.Tensors);
        using var checkpoint = new CheckpointState(tensors.ToDictionary(kv => kv.Key, kv => kv.Value.alias()), metadata);
        double? rescuedFrom = null;
        if (checkpoint.HasString(RunFingerprint.MetadataKey))
        {
            var saved = RunFingerprint.FromJson(checkpoint.GetString(RunFingerprint.MetadataKey), path);
            if (rescue) rescuedFrom = RescuedLearningRate(path, saved, fingerprint);
            else if (saved.Differences(fingerprint).Where(d => !(extend && d.StartsWith("budget:", StringComparison.Ordinal))).ToList()
                is { Count: > 0 } differences) throw new ResumeMismatchException(path, differences);
        }
        else if (rescue)
            throw new RescueRefusedException($"Checkpoint '{path}' has no entry '{RunFingerprint.MetadataKey}': a rescue needs the run "
                + "fingerprint to check that only the learning rate changes.");
        else state.Write($"checkpoint {path} has no run fingerprint (written before fingerprints existed): not checked");

        var config = state.Module is GrowableTransformer
            ? Entry(path, ModelCheckpoint.ConfigKey, () => TransformerConfig.FromJson(checkpoint.GetString(ModelCheckpoint.ConfigKey)))
            : null;
        if (config is not null && config != state.Transformer.Config && !growthAllowed)
            throw new ResumeMismatchException(path,
                [$"model: checkpoint {config.Describe()}, this run {state.Transformer.Config.Describe()} and no growth algorithm"]);
        var weights = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => kv.Value);
        var nonFinite = weights.Where(kv => !NonFiniteGuard.AllFinite([kv.Value])).Select(kv => kv.Key).ToList();
        if (nonFinite.Count > 0)
            throw new InvalidDataException($"Checkpoint '{path}': non-finite weights in {string.Join(", ", nonFinite.Take(5))}.");

        // Validate every small entry in C# first, then hand anything to native code.
        var rngTorch = Entry(path, "rng/torch", () => BytesOf(checkpoint.GetTensor("rng/torch")));
        Entry(path, "rng/torch", () => { TorchRngState.Validate(rngTorch); return 0; });
        var samplerState = Entry(path, "sampler", () => checkpoint.GetTensor("sampler").dtype == ScalarType.Int64
            ? checkpoint.GetTensor("sampler").data<long>().ToArray() : throw new InvalidDataException("not int64"));
        var busState = Entry(path, "rng/bus", () => checkpoint.GetString("rng/bus").Split(',')
            .Select(s => ulong.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray());
        var plan = checkpoint.HasString(SchedulePlan.Key) // absent in checkpoints written before extensions
            ? Entry(path, SchedulePlan.Key, () => SchedulePlan.Parse(checkpoint.GetString(SchedulePlan.Key)))
            : null;
        if (extend) SchedulePlan.RequireNotSmaller(plan, state.Options.Budget, path);
        var meter = Entry(
            path, "meter", () => BudgetMeter.ValidateSaved(JsonSerializer.Deserialize<double[]>(checkpoint.GetString("meter"), Json)));
        Entry(path, "meter", () => { state.Meter.RequireWithinBudget(meter[0]); return 0; });
        var loop = Entry(path, "loop", () => ValidateLoop(JsonSerializer.Deserialize<double[]>(checkpoint.GetString("loop"), Json)));
        var history = Entry(path, "history", () => JsonSerializer.Deserialize<List<MetricsRecord>>(checkpoint.GetString("history"), Json)
            ?? throw new InvalidDataException("null"));
        var log = Entry(path, "log", () => JsonSerializer.Deserialize<List<string>>(checkpoint.GetString("log"), Json)
            ?? throw new InvalidDataException("null"));
        var growths = checkpoint.HasString("growths") // absent in checkpoints written before growth events were typed
            ? Entry(path, "growths", () =>
                SavedGrowths.Validate(JsonSerializer.Deserialize<List<GrowthEvent?>>(checkpoint.GetString("growths"), Json),
                    (long)meter[0]))
            : [];
        var rescues = checkpoint.HasString(RescuesKey)
            ? Entry(path, RescuesKey, () =>
                ValidateRescues(JsonSerializer.Deserialize<List<RescueEvent?>>(checkpoint.GetString(RescuesKey), Json), (long)meter[0]))
            : [];
        var optimizerBytes = Entry(path, "optimizer", () => BytesOf(checkpoint.GetTensor("optimizer")));
        Entry(path, "sampler", () => { sampler.State = samplerState; return 0; });
        Entry(path, "rng/bus", () => { random.State = busState; return 0; });

        if (config is not null && config != state.Transformer.Config)
            state.ReplaceModel(new GrowableTransformer(config, state.Transformer.Device),
                "resumed from checkpoint at a later growth stage");
        if (WeightDTypes.FirstMismatch(state.Module, weights) is var (name, found, expected))
            throw new InvalidDataException(
                $"Checkpoint '{path}': entry '{ModelPrefix}{name}' is invalid (dtype {found}; the model parameter's is {expected}).");
        if (config is not null) Entry(path, "model", () => { state.Transformer.LoadWeights(weights); return 0; });
        else Entry(path, "model", () => { LoadParameters(state.Module, weights, path); return 0; });
        Entry(path, "optimizer", () => { LoadOptimizer(state.Optimizer, optimizerBytes); return 0; }, quoteReason: false);
        using (var rng = tensor(rngTorch, dtype: ScalarType.Byte)) set_rng_state(rng);
        state.Meter.Restore((long)meter[0], (long)meter[1], (long)meter[2], (long)meter[3], meter[4], meter[5], meter[6]);
        state.Epoch = (int)loop[2];
        state.LastTrainLoss = loop[3];
        state.Restore(history, log, growths, rescues);
        // After the log is restored: an extension the schedule refuses ends here, before the loop writes anything.
        state.Schedule = SchedulePlan.Resume(plan, state.Options, state.Meter.Spent(state.Options.Budget.Unit), extend,
            growthAllowed && plan is not null && plan.Amount != state.Options.Budget.Amount, path);
        if (extend && plan is not null && plan.Amount != state.Options.Budget.Amount)
            state.Write(string.Create(CultureInfo.InvariantCulture, $"extended from {plan.Amount:G6} to {state.Options.Budget}: "
                + $"{state.Schedule.Name} schedule, warm-up {state.Schedule.WarmupFraction:G4} of the new budget"));
        foreach (var c in components) c.LoadState(checkpoint);
        return new LoopState(loop[0], (long)loop[1]) { RescuedFromLearningRate = rescuedFrom };
    }

    /// <summary>
    /// A rescue's check of the fingerprint: the learning rate must differ and nothing else may; returns the checkpoint's
    /// learning rate.
    /// </summary>
    private static double RescuedLearningRate(string path, RunFingerprint saved, RunFingerprint request)
    {
        const string Field = "learningRate";
        var others = saved.Differences(request).Where(d => !d.StartsWith(Field + ":", StringComparison.Ordinal)).ToList();
        if (others.Count > 0) throw new ResumeMismatchException(path, others, rescue: true);
        string old = saved.Fields.GetValueOrDefault(Field) ?? "(none)";
        if (old == request.Fields[Field])
            throw new RescueRefusedException(
                $"Checkpoint '{path}': a rescue changes the learning rate, but this run's {Field} {old} is the checkpoint's; rerun with " +
                $"a lower one.");
        return double.TryParse(old, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate > 0
            ? rate
            : throw new InvalidDataException(
                $"Checkpoint '{path}': entry '{RunFingerprint.MetadataKey}' is invalid ({Field} '{old}' is not a learning rate).");
    }

    /// <summary>Saved rescues: whole, in step order within the steps taken, with positive finite learning rates.</summary>
    private static List<RescueEvent> ValidateRescues(List<RescueEvent?>? rescues, long steps)
    {
        if (rescues is null) throw new InvalidDataException("null");
        long previous = 0;
        for (int i = 0; i < rescues.Count; i++)
        {
            var r = rescues[i] ?? throw new InvalidDataException($"rescue {i + 1} of {rescues.Count} is null");
            if (r.Step < previous || r.Step > steps || r.StoppedAtStep <= r.Step)
                throw new InvalidDataException(
                    $"rescue {i + 1} of {rescues.Count}: step {r.Step} (stopped at {r.StoppedAtStep}) is out of order or past the " +
                    $"{steps} steps taken");
            if (!(double.IsFinite(r.OldLearningRate) && r.OldLearningRate > 0 && double.IsFinite(r.NewLearningRate)
                && r.NewLearningRate > 0))
                throw new InvalidDataException(
                    $"rescue {i + 1} of {rescues.Count}: learning rates {r.OldLearningRate} -> {r.NewLearningRate} must be positive and " +
                    $"finite");
            previous = r.Step;
        }

        return rescues!;
    }

    /// <summary>Copies saved parameters into any module, by name; names and shapes must match exactly.</summary>
    private static void LoadParameters(nn.Module module, Dictionary<string, Tensor> weights, string path)
    {
        var parameters = module.named_parameters().ToList();
        var missing = parameters.Select(p => p.name).Where(n => !weights.ContainsKey(n)).ToList();
        if (missing.Count > 0 || weights.Count != parameters.Count)
            throw new InvalidDataException(
                $"Checkpoint {path} holds {weights.Count} parameters; the module has " +
                $"{parameters.Count}{(missing.Count > 0 ? $" (missing: {string.Join(", ", missing.Take(5))})" : "")}.");
        using var noGrad = no_grad();
        foreach (var (name, p) in parameters)
        {
            var saved = weights[name];
            if (!saved.shape.SequenceEqual(p.shape))
                throw new InvalidDataException(
                    $"Checkpoint {path}: parameter '{name}' has shape [{string.Join(",", saved.shape)}]; the module's is " +
                    $"[{string.Join(",", p.shape)}].");
            p.copy_(saved);
        }
    }

    /// <summary>Loop counters: loss sum (finite), loss count, epoch (non-negative integers) and last train loss (any).</summary>
    private static double[] ValidateLoop(double[]? loop)
    {
        if (loop is not { Length: 4 }) throw new InvalidDataException($"expected 4 numbers, got {loop?.Length ?? 0}");
        if (!double.IsFinite(loop[0])) throw new InvalidDataException($"loss sum {loop[0]} is not finite");
        if (!(loop[1] >= 0 && loop[1] <= long.MaxValue && loop[1] == Math.Floor(loop[1])))
            throw new InvalidDataException($"loss count {loop[1]} is not a count");
        if (!(loop[2] >= 0 && loop[2] <= int.MaxValue && loop[2] == Math.Floor(loop[2])))
            throw new InvalidDataException($"epoch {loop[2]} is not a count");
        return loop;
    }

    /// <summary>
    /// Runs one restore action; a failure becomes an <see cref="InvalidDataException"/> naming the file and entry. The
    /// inner reason is quoted only for C#-side validation errors (never binary data or a native message).
    /// </summary>
    private static T Entry<T>(string path, string key, Func<T> action, bool quoteReason = true)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is not OutOfMemoryException and not ResumeMismatchException)
        {
            bool quotable = quoteReason
                && e is InvalidDataException or ArgumentException or FormatException or OverflowException or JsonException
                    or NotSupportedException;
            string reason = quotable ? e.Message : $"{e.GetType().Name} while reading it";
            throw new InvalidDataException($"Checkpoint '{path}': entry '{key}' is invalid ({reason}).", e);
        }
    }

    private static byte[] SaveOptimizer(optim.Optimizer optimizer)
    {
        var helper = optimizer as OptimizerHelper
            ?? throw new NotSupportedException(
                $"Optimizer {optimizer.GetType().Name} cannot save its state: checkpointing needs a TorchSharp OptimizerHelper (AdamW, " +
                $"Lion, ...).");
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) helper.save_state_dict(writer);
        return stream.ToArray();
    }

    private static void LoadOptimizer(optim.Optimizer optimizer, byte[] bytes)
    {
        var helper = optimizer as OptimizerHelper
            ?? throw new NotSupportedException($"Optimizer {optimizer.GetType().Name} cannot load state.");
        using var reader = new BinaryReader(new MemoryStream(bytes));
        helper.load_state_dict(reader);
    }

    private static Tensor BytesTensor(byte[] bytes) => tensor(bytes, dtype: ScalarType.Byte);

    private static byte[] BytesOf(Tensor t) => t.data<byte>().ToArray();
}
