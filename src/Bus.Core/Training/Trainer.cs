namespace Bus.Core.Training;

/// <summary>
/// The one training loop every method shares. Extension points: an <see cref="IOptimizerFactory"/>, an
/// <see cref="IBatchSelector"/>, and <see cref="ITrainingAlgorithm"/>s (growth schedules, layer dropping,
/// callbacks) called at <see cref="TrainingEvent"/>s. The learning rate follows
/// <see cref="TrainerOptions.Schedule"/> keyed to the fraction of <see cref="TrainerOptions.Budget"/> spent.
/// Each step runs inside a TorchSharp dispose scope, so no step leaks native memory.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerOptions _options;
    private readonly IOptimizerFactory _optimizerFactory;
    private readonly IBatchSelector? _selector;
    private readonly IReadOnlyList<ITrainingAlgorithm> _algorithms;

    /// <summary>Creates a trainer and checks, before any training, that its parts can run together.</summary>
    /// <exception cref="InvalidOperationException">Two algorithms hold the same exclusive trait.</exception>
    public Trainer(TrainerOptions options, IOptimizerFactory? optimizer = null, IBatchSelector? selector = null,
        IEnumerable<ITrainingAlgorithm>? algorithms = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _optimizerFactory = optimizer ?? new AdamWFactory();
        _selector = selector;
        _algorithms =
            [.. algorithms ?? [], .. options.EarlyStopping is { } early ? [new EarlyStopping(early)] : Array.Empty<ITrainingAlgorithm>()];
        if (options.EvaluateEverySteps is not null && options.EvaluateEveryFraction is not null)
            throw new ArgumentException(
                "TrainerOptions.EvaluateEverySteps and EvaluateEveryFraction cannot both be set; choose one cadence.", nameof(options));
        if (options.Budget.Unit == BudgetUnit.ReferenceSeconds && options.CostModel is null)
            throw new ArgumentException($"A budget of {options.Budget} needs TrainerOptions.CostModel (a calibrated IStepCostModel).",
                nameof(options));
        _ = BusDevice.Parse(options.Device);
        if (ExclusiveTraits.FirstConflict(_algorithms.Select(a => (a.Name, a.Traits))) is var (trait, holders))
            throw new InvalidOperationException(
                $"Algorithms {string.Join(" and ", holders)} both hold the exclusive trait {trait}; run them in separate stages.");
        if (options.AccumulationSteps > options.BatchSize)
            throw new ArgumentException(
                $"AccumulationSteps {options.AccumulationSteps} exceeds BatchSize {options.BatchSize}: each micro-batch needs an example.",
                nameof(options));
    }

    /// <summary>
    /// Trains <paramref name="model"/> until the budget is spent. The trainer owns the model from here on:
    /// growth may replace (and dispose) it, so use <see cref="TrainingResult.Model"/> afterwards.
    /// Cancellation ends the run after the current step and returns everything recorded so far.
    /// </summary>
    public TrainingResult Fit(GrowableTransformer model, SequenceDataset train, SequenceDataset dev, SequenceObjective objective,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        RequireArguments(model, train, dev, objective);
        RequireIdsInRange(train, model.Config, nameof(train));
        RequireIdsInRange(dev, model.Config, nameof(dev));
        var device = BusDevice.Parse(_options.Device);
        using var trainOnDevice = OnDevice(train, device);
        using var devOnDevice = OnDevice(dev, device);
        return Fit((nn.Module<Tensor, Tensor>)model, trainOnDevice, devOnDevice, objective, progress, cancellationToken);
    }

    /// <summary>
    /// Trains any module mapping a batch of inputs to outputs (a <see cref="GrowableTransformer"/>, an MLP, a
    /// TorchSharp <c>nn.TransformerEncoder</c> classifier, ...) on any <see cref="ITrainingData"/> (in-memory
    /// rows or a memory-mapped token stream) with any <see cref="ITrainingObjective"/>, until the budget is
    /// spent. Growth works on any module a <c>ModelLayout</c> describes (masked growth needs a <see cref="GrowableTransformer"/>);
    /// selectors, optimizers, schedules, budgets and checkpoints work with any module (FLOPs fall back to 6 × parameters × tokens).
    /// </summary>
    /// <exception cref="ArgumentException">A dataset is empty, its sequences exceed a transformer's MaxLength, or it holds fewer examples
    /// than one batch of candidates.</exception>
    public TrainingResult Fit(nn.Module<Tensor, Tensor> model, ITrainingData train, ITrainingData dev, ITrainingObjective objective,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        RequireArguments(model, train, dev, objective);
        if (model is GrowableTransformer transformer)
        {
            RequireFits(train, transformer.Config, nameof(train));
            RequireFits(dev, transformer.Config, nameof(dev));
        }
        int candidates = _selector?.CandidateCount(_options.BatchSize) ?? _options.BatchSize;
        if (candidates > train.Count)
            throw new ArgumentException($"The training set has {train.Count} examples, fewer than one batch of {candidates} candidates.",
                nameof(train));

        var device = BusDevice.Parse(_options.Device);
        if (_options.Threads is { } threads) set_num_threads(threads);
        random.manual_seed(_options.Seed);
        if (ModuleDevice.Of(model).type != device.type) model.to(device);
        using var precision = new MixedPrecisionStep(_options.Precision);
        precision.RequireSupported(model);
        _selector?.Prepare(train, objective);

        var meter = new BudgetMeter(_options.Budget, Math.Max(1, train.Count / candidates), _options.CostModel);
        var rng = new BusRandom(_options.Seed ^ 0x5EED);
        var sampler = train.CreateSampler(rng);
        var state = new TrainingState(model, _optimizerFactory.Create(Named(model), _options.LearningRate, _options.WeightDecay),
            _optimizerFactory, _options, train, dev, objective, meter, rng,
            (current, max) => Evaluate(current, dev, objective, max, _options.EvalBatchSize));

        long evalEvery = _options.EvaluateEverySteps ?? Math.Max(1, meter.StepsPerEpoch / _options.EvaluationsPerEpoch);
        var evalGrid = _options.EvaluateEveryFraction;
        double lossSum = 0;
        long lossCount = 0;
        var checkpoints = _options.Checkpoint;
        var checkpointables = _algorithms.OfType<ICheckpointable>().Concat(_selector is ICheckpointable c ? [c] : [])
            .Concat(precision.Scaler is { } scaler ? [scaler] : []).ToList();
        var guard = new NonFiniteGuard(_options.OnNonFiniteLoss);
        // Reliability (docs/reliability.md): one run per checkpoint folder, and a resume only of the same run.
        using var folderLock = checkpoints is null ? null : CheckpointLock.Acquire(checkpoints.Directory);
        if (folderLock?.StaleOwner is { } stale) state.Write($"took over the stale lock of {checkpoints!.Directory} ({stale})");
        var fingerprint = RunFingerprint.Of(model, objective.ToString() ?? objective.GetType().Name, train, dev,
            _options, _optimizerFactory.Name, _selector, _algorithms);
        var stop = checkpoints is { Rescue: true } ? RequireRescuable(checkpoints) : null;
        if (checkpoints is { Extend: true } && !(checkpoints.Resume && File.Exists(checkpoints.LastPath)))
            throw new ScheduleExtensionException(
                $"Checkpoint folder '{checkpoints.Directory}' has no checkpoint '{checkpoints.LastPath}' to extend"
                + (checkpoints.Resume ? "." : " (Resume is off)."));
        if (checkpoints is { Resume: true } && File.Exists(checkpoints.LastPath))
        {
            bool growthAllowed = _algorithms.Any(a => a.Traits.HasFlag(AlgorithmTraits.ReplacesModel));
            var loop = TrainingCheckpoint.Restore(checkpoints.LastPath, state, sampler, rng, checkpointables, fingerprint, growthAllowed,
                rescue: stop is not null, extend: checkpoints.Extend);
            (lossSum, lossCount) = (loop.LossSum, loop.LossCount);
            guard.LastCheckpoint = (checkpoints.LastPath, meter.Steps);
            state.Write($"resumed from {checkpoints.LastPath} at step {meter.Steps}");
            if (stop is not null && loop.RescuedFromLearningRate is { } old)
                state.RecordRescue(new RescueEvent(meter.Steps, stop.Step, old, _options.LearningRate));
        }

        // Every checkpoint written supersedes a recorded non-finite stop (the last checkpoint is no longer the one before it).
        void SaveCheckpoint()
        {
            TrainingCheckpoint.Save(checkpoints!.LastPath, state, sampler, rng, new(lossSum, lossCount), checkpointables, fingerprint);
            guard.LastCheckpoint = (checkpoints.LastPath, meter.Steps);
            NonFiniteStop.Delete(checkpoints);
        }

        try
        {
            return Train();
        }
        catch (NonFiniteLossException e) when (checkpoints is not null && guard.LastCheckpoint is { } last)
        {
            // Recorded so that a rescue (CheckpointOptions.Rescue, bus train --rescue) may go on from the last finite checkpoint.
            try
            {
                new NonFiniteStop(e.Step, last.Step, _options.LearningRate, e.Message).Write(checkpoints);
            }
            catch (Exception io) when (io is IOException or UnauthorizedAccessException)
            {
                // Best effort: the stop's own error is the one to report.
            }

            throw;
        }

        TrainingResult Train()
        {
            var reason = StopReason.BudgetSpent;
            Fire(TrainingEvent.FitStart, state);
            double evaluatedAt = meter.Fraction;
            meter.Resume();
            while (!meter.Exhausted)
            {
                if (cancellationToken.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
                if (state.StopRequested) { reason = StopReason.Requested; break; }
                using (var scope = NewDisposeScope())
                {
                    Fire(TrainingEvent.StepStart, state);
                    var batch = NextBatch(state, sampler, candidates, device);
                    double loss = Step(state, batch, meter, guard, precision);
                    if (double.IsFinite(loss)) { lossSum += loss; lossCount++; }
                }
                Fire(TrainingEvent.StepEnd, state);
                if (sampler.EpochCompleted) { state.Epoch = sampler.Epoch + 1; Fire(TrainingEvent.EpochEnd, state); }
                bool due = evalGrid is { } every ? FractionCrossed(evaluatedAt, meter.Fraction, every) : meter.Steps % evalEvery == 0;
                due |= meter.Exhausted;
                if (due) evaluatedAt = meter.Fraction;
                if (due)
                {
                    var record = state.Record(lossCount > 0 ? lossSum / lossCount : double.NaN);
                    (lossSum, lossCount) = (0, 0);
                    Fire(TrainingEvent.Evaluated, state);
                    progress?.Report(new TrainingProgress(meter.Steps, meter.Fraction, state.LastTrainLoss, record));
                }
                else progress?.Report(new TrainingProgress(meter.Steps, meter.Fraction, state.LastTrainLoss,
                    state.History.Count > 0 ? state.History[^1] : null));
                if (checkpoints is not null && (meter.Steps % checkpoints.EverySteps == 0 || meter.Exhausted)) SaveCheckpoint();
            }
            // Cancelled (Ctrl+C) or stopped early: the step finished; keep it in a checkpoint so a resume loses nothing.
            if (reason is StopReason.Cancelled or StopReason.Requested && checkpoints is not null
                && guard.LastCheckpoint?.Step != meter.Steps && meter.Steps > 0)
            {
                SaveCheckpoint();
                state.Write($"{(reason == StopReason.Cancelled ? "cancelled" : "stopped")}: checkpoint written at step {meter.Steps}");
            }
            guard.Release();
            if (_options.OnNonFiniteLoss == NonFiniteLossPolicy.SkipStep) guard.RequireUsableResult(state.Module.parameters(), meter.Steps);
            meter.Pause();
            if (state.History.Count == 0 || state.History[^1].Step != meter.Steps)
                state.Record(lossCount > 0 ? lossSum / lossCount : double.NaN);
            Fire(TrainingEvent.FitEnd, state);
            state.Optimizer.Dispose();
            return new TrainingResult(state.Module, state.History, reason, meter, state.Log)
            {
                Growths = state.Growths, Rescues = state.Rescues,
            };
        }
    }

    /// <summary>The non-finite stop a rescue goes on from; refuses a folder without one, or without a checkpoint.</summary>
    private static NonFiniteStop RequireRescuable(CheckpointOptions checkpoints)
    {
        string record = NonFiniteStop.PathOf(checkpoints);
        if (!checkpoints.Resume)
            throw new RescueRefusedException(
                $"Checkpoint folder '{checkpoints.Directory}': a rescue resumes from '{checkpoints.LastPath}', but Resume is off.");
        var stop = NonFiniteStop.Read(checkpoints)
            ?? throw new RescueRefusedException(
                $"Checkpoint folder '{checkpoints.Directory}' records no non-finite stop ('{record}' is missing): " +
                "a rescue goes on only from a run that stopped on a non-finite loss; rerun without --rescue.");
        if (!File.Exists(checkpoints.LastPath))
            throw new RescueRefusedException(
                $"Checkpoint folder '{checkpoints.Directory}' has no checkpoint '{checkpoints.LastPath}' to rescue from.");
        return stop;
    }

    /// <summary>True when the spent fraction <paramref name="now"/> has reached a multiple of <paramref name="every"/> past
    /// <paramref name="last"/>.</summary>
    private static bool FractionCrossed(double last, double now, double every) =>
        Math.Floor(now / every + 1e-9) > Math.Floor(last / every + 1e-9);

    private SelectedBatch NextBatch(TrainingState state, IExampleSampler sampler, int candidates, Device device)
    {
        int length = state.TrainData.SequenceLength ?? 1;
        while (true)
        {
            using var indices = tensor(sampler.Next(candidates), dtype: int64);
            var (rawX, rawY) = state.TrainData.Batch(indices);
            var (x, y) = (rawX.to(device), rawY.to(device));
            if (_selector is null) return new SelectedBatch(x, y, 0);
            var context = new SelectionContext(state.Module, state.Objective, _options.BatchSize, state.Meter.Steps, sampler.Epoch,
                state.Random);
            var selected = _selector.Select(new CandidateBatch(x, y, indices), context);
            int layers = state.Module is GrowableTransformer g ? g.Config.Layers : 0;
            if (selected is { ForwardOnlyExamples: > 0 })
                state.Meter.ChargeForward(new StepCost((int)selected.ForwardOnlyExamples, length, layers, true, null), state.Module);
            else if (selected is null)
                state.Meter.ChargeForward(new StepCost(candidates, length, layers, true, null), state.Module);
            if (selected is not null) return selected;
        }
    }

    /// <summary>
    /// One optimizer step (section: training loop): lr from the schedule, forward, loss, backward, clip, step; the
    /// <paramref name="guard"/> checks the loss, the gradient norm and the updated parameters (NaN/inf never kept).
    /// Returns the loss, or NaN for a skipped step.
    /// </summary>
    private double Step(TrainingState state, SelectedBatch batch, BudgetMeter meter, NonFiniteGuard guard, MixedPrecisionStep precision)
    {
        var model = state.Module;
        // One owner of the rate: the factory set each group's peak; here it is only multiplied by the schedule (and the scale).
        double multiplier = state.Schedule.Multiplier(meter.Fraction);
        int index = 0;
        foreach (var group in state.Optimizer.ParamGroups) group.LearningRate = state.StepLearningRate(index++, multiplier);
        model.train();
        if (_options.Recompute) ActivationRecompute.Enable(model);
        double value = GradientAccumulation.ForwardBackward(model, state.Objective, state.Optimizer, batch, _options.AccumulationSteps,
            precision, out bool overflowed);
        state.LastTrainLoss = value;
        var cost = new StepCost((int)batch.Inputs.shape[0], state.TrainData.SequenceLength ?? 1,
            precision.LastActiveLayers(model), false, _optimizerFactory.Name);
        guard.BeginStep();
        if (!double.IsFinite(value))
        {
            state.Write(guard.Reject(meter.Steps + 1, $"Training loss is {NonFiniteGuard.Format(value)}", value));
            meter.ChargeStep(cost, model);
            return double.NaN;
        }
        if (overflowed)
        {
            state.Optimizer.zero_grad();
            state.Write($"skipped step {meter.Steps + 1}: fp16 gradients overflowed; loss scale lowered to {precision.Scaler!.Scale:R}");
            meter.ChargeStep(cost, model);
            return value;
        }
        var parameters = model.parameters().ToList();
        double norm = _options.GradientClip > 0 ? nn.utils.clip_grad_norm_(parameters, _options.GradientClip)
            : NonFiniteGuard.GradientNorm(parameters);
        if (!double.IsFinite(norm))
        {
            state.Optimizer.zero_grad();
            state.Write(
                guard.Reject(meter.Steps + 1, $"Gradient norm is {NonFiniteGuard.Format(norm)} (loss {NonFiniteGuard.Format(value)})",
                    value));
            meter.ChargeStep(cost, model);
            return double.NaN;
        }
        guard.SaveWeights(parameters);
        state.Optimizer.step();
        if (!NonFiniteGuard.UpdateIsFinite(parameters))
        {
            guard.RestoreWeights(parameters);
            state.Write(
                guard.Reject(
                    meter.Steps + 1,
                    $"The update made parameters non-finite (loss {NonFiniteGuard.Format(value)}, gradient norm " +
                    $"{NonFiniteGuard.Format(norm)})", value));
            meter.ChargeStep(cost, model);
            return double.NaN;
        }
        meter.ChargeStep(cost, model);
        return value;
    }

    /// <summary>Mean loss and metric of <paramref name="model"/> on <paramref name="dev"/> (first <paramref name="maxExamples"/> rows), in
    /// eval mode without gradients.</summary>
    public static (double Loss, double Metric) Evaluate(GrowableTransformer model, SequenceDataset dev, SequenceObjective objective,
        int? maxExamples = null, int batchSize = 512) =>
        Evaluate((nn.Module<Tensor, Tensor>)model, dev, objective, maxExamples, batchSize);

    /// <summary>
    /// Mean loss and metric of any <paramref name="model"/> on <paramref name="dev"/>'s evaluation examples (the first
    /// <paramref name="maxExamples"/>), in eval mode without gradients; batches move to the model's device.
    /// </summary>
    public static (double Loss, double Metric) Evaluate(nn.Module<Tensor, Tensor> model, ITrainingData dev, ITrainingObjective objective,
        long? maxExamples = null, int batchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dev);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        bool wasTraining = model.training;
        model.eval();
        var device = ModuleDevice.Of(model);
        using var noGrad = no_grad();
        double lossSum = 0, metricSum = 0;
        long positions = 0;
        foreach (var chunk in dev.EvaluationIndices(maxExamples).Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var (rawX, rawY) = dev.Batch(tensor(chunk, dtype: int64));
            var (x, y) = (rawX.to(device), rawY.to(device));
            var output = model.forward(x);
            var (sum, c) = objective.MetricSum(output, y);
            lossSum += objective.Loss(output, y).to(float64).item<double>() * c;
            metricSum += sum;
            positions += c;
        }
        model.train(wasTraining);
        return (lossSum / positions, objective.Finish(metricSum, positions));
    }

    private void Fire(TrainingEvent e, TrainingState state)
    {
        bool reverse = e is TrainingEvent.StepEnd or TrainingEvent.FitEnd;
        var order = reverse ? _algorithms.Reverse() : _algorithms;
        foreach (var algorithm in order) algorithm.OnEvent(e, state);
    }

    /// <summary>Token ids must lie in 0..VocabSize-1 and targets in 0..OutputSize-1; otherwise the embedding or the loss fails
    /// natively.</summary>
    // Both Fit overloads: every argument given, neither data set empty.
    private static void RequireArguments(object model, ITrainingData train, ITrainingData dev, object objective)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        ArgumentNullException.ThrowIfNull(objective);
        if (train.Count == 0) throw new ArgumentException("The training set is empty (0 examples).", nameof(train));
        if (dev.Count == 0) throw new ArgumentException("The dev set is empty (0 examples).", nameof(dev));
    }

    private static void RequireIdsInRange(SequenceDataset data, TransformerConfig config, string paramName)
    {
        using var scope = NewDisposeScope();
        long minInput = data.Inputs.min().ToInt64(), maxInput = data.Inputs.max().ToInt64();
        if (minInput < 0 || maxInput >= config.VocabSize)
            throw new ArgumentOutOfRangeException(
                paramName,
                $"Dataset '{paramName}' has token ids from {minInput} to {maxInput}; the model's VocabSize is {config.VocabSize} (ids " +
                $"0..{config.VocabSize - 1}).");
        long minTarget = data.Targets.min().ToInt64(), maxTarget = data.Targets.max().ToInt64();
        if (minTarget < 0 || maxTarget >= config.OutputSize)
            throw new ArgumentOutOfRangeException(
                paramName,
                $"Dataset '{paramName}' has targets from {minTarget} to {maxTarget}; the model's output size is {config.OutputSize} " +
                $"({config.Mode}, targets 0..{config.OutputSize - 1}).");
    }

    /// <summary>Sequences must fit the transformer's MaxLength, and a token stream's vocabulary its VocabSize.</summary>
    private static void RequireFits(ITrainingData data, TransformerConfig config, string paramName)
    {
        if (data.SequenceLength > config.MaxLength)
            throw new ArgumentException(
                $"Dataset '{paramName}' has sequences of length {data.SequenceLength}, above the model's MaxLength {config.MaxLength}.",
                paramName);
        if (data is TokenStreamData stream && stream.VocabularySize > config.VocabSize)
            throw new ArgumentOutOfRangeException(
                paramName,
                $"Token stream '{paramName}' has a vocabulary of {stream.VocabularySize} symbols; the model's VocabSize is " +
                $"{config.VocabSize}.");
    }

    /// <summary>A view of <paramref name="data"/> on <paramref name="device"/> that the trainer may dispose without touching the caller's
    /// tensors.</summary>
    private static SequenceDataset OnDevice(SequenceDataset data, Device device) =>
        data.Inputs.device.type == device.type
            ? new(data.Inputs.alias(), data.Targets.alias())
            : new(data.Inputs.to(device), data.Targets.to(device));

    /// <summary>The model's parameters with their names, as <see cref="IOptimizerFactory"/>'s named overload takes them.</summary>
    public static IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> Named(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_parameters().Select(p => (p.name, p.parameter));
    }
}
