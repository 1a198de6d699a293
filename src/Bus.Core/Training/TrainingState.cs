namespace Bus.Core.Training;

/// <summary>The mutable state of a run that algorithms read and change at events.</summary>
public sealed class TrainingState
{
    private readonly List<MetricsRecord> _history = [];
    private readonly List<string> _log = [];
    private readonly List<GrowthEvent> _growths = [];
    private readonly List<RescueEvent> _rescues = [];
    private readonly Func<nn.Module<Tensor, Tensor>, int?, (double Loss, double Metric)> _evaluate;

    internal TrainingState(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IOptimizerFactory optimizerFactory,
        TrainerOptions options, ITrainingData train, ITrainingData dev, ITrainingObjective objective,
        BudgetMeter meter, Random random, Func<nn.Module<Tensor, Tensor>, int?, (double, double)> evaluate)
    {
        Module = model;
        Install(optimizer);
        OptimizerFactory = optimizerFactory;
        Options = options;
        TrainData = train;
        DevData = dev;
        Objective = objective;
        Meter = meter;
        Random = random;
        Schedule = options.Schedule;
        _evaluate = evaluate;
    }

    /// <summary>The module being trained, of any kind (replaced by growth).</summary>
    public nn.Module<Tensor, Tensor> Module { get; private set; }

    /// <summary>The model being trained as a <see cref="GrowableTransformer"/> (transformer growth and masks need one).</summary>
    /// <exception cref="InvalidOperationException">The run trains another kind of module.</exception>
    public GrowableTransformer Transformer => Module as GrowableTransformer
        ?? throw new InvalidOperationException(
            $"This needs a GrowableTransformer, but the run trains a {Module.GetType().Name} (growth and layer dropping need the " +
            $"transformer's layout).");

    /// <summary>The optimizer over <see cref="Module"/>'s parameters.</summary>
    public optim.Optimizer Optimizer { get; private set; } = null!;

    /// <summary>
    /// Each param group's peak learning rate, as the optimizer factory set it when it created <see cref="Optimizer"/>
    /// (read once, before the first step; again when growth installs a new optimizer). The trainer sets each step's
    /// rate of group i to <c>PeakLearningRates[i]</c> x the schedule's multiplier x <see cref="LearningRateScale"/>;
    /// a group added later takes the last group's peak.
    /// </summary>
    public IReadOnlyList<double> PeakLearningRates { get; private set; } = [];

    /// <summary>Builds optimizers (again after growth).</summary>
    public IOptimizerFactory OptimizerFactory { get; }

    /// <summary>The run's options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// The learning-rate schedule in force: <see cref="TrainerOptions.Schedule"/>, with its warm-up rescaled when the run
    /// was extended to a larger budget (<see cref="Checkpoints.CheckpointOptions.Extend"/>).
    /// </summary>
    public LearningRateSchedule Schedule { get; internal set; }

    /// <summary>Training data (in-memory rows or a token stream).</summary>
    public ITrainingData TrainData { get; }

    /// <summary>Dev data.</summary>
    public ITrainingData DevData { get; }

    /// <summary>The training set when it is an in-memory <see cref="SequenceDataset"/> (learned growth operators train on it); otherwise
    /// null.</summary>
    public SequenceDataset? TrainSequences => TrainData as SequenceDataset;

    /// <summary>The dev set when it is an in-memory <see cref="SequenceDataset"/>; otherwise null.</summary>
    public SequenceDataset? DevSequences => DevData as SequenceDataset;

    /// <summary>Task loss and metric.</summary>
    public ITrainingObjective Objective { get; }

    /// <summary>What the run has spent.</summary>
    public BudgetMeter Meter { get; }

    /// <summary>The run's seeded random source: algorithms draw every random choice from it.</summary>
    public Random Random { get; }

    /// <summary>Current epoch (0-based).</summary>
    public int Epoch { get; internal set; }

    /// <summary>Loss of the last step (NaN before the first).</summary>
    public double LastTrainLoss { get; internal set; } = double.NaN;

    /// <summary>
    /// The peak learning rate in force (of the first param group): the rate the optimizer factory chose for the
    /// trainer's <see cref="TrainerOptions.LearningRate"/> (AdamW: that rate; Lion: that rate / 3 by default). The
    /// schedule multiplies it; read-only, because the factory owns it (see <see cref="PeakLearningRates"/>).
    /// </summary>
    public double LearningRate => PeakLearningRates.Count > 0 ? PeakLearningRates[0] : Options.LearningRate;

    /// <summary>
    /// Factor on the scheduled learning rate, set by an algorithm before a step (e.g. a re-warm-up after growth);
    /// 1 by default. The step's rate is the peak x the schedule's multiplier x this.
    /// </summary>
    public double LearningRateScale
    {
        get => _learningRateScale;
        set => _learningRateScale = Guard.NonNegative(value, nameof(LearningRateScale));
    }

    private double _learningRateScale = 1;

    /// <summary>Dev evaluations so far.</summary>
    public IReadOnlyList<MetricsRecord> History => _history;

    /// <summary>Messages logged by the trainer and algorithms.</summary>
    public IReadOnlyList<string> Log => _log;

    /// <summary>Growths of the model so far, in order.</summary>
    public IReadOnlyList<GrowthEvent> Growths => _growths;

    /// <summary>Set by an algorithm to end the run after the current step.</summary>
    public bool StopRequested { get; set; }

    /// <summary>Rescues of the run after non-finite stops, in order (<see cref="Checkpoints.CheckpointOptions.Rescue"/>).</summary>
    public IReadOnlyList<RescueEvent> Rescues => _rescues;

    internal void Restore(List<MetricsRecord> history, List<string> log, List<GrowthEvent> growths, List<RescueEvent> rescues)
    {
        _history.Clear(); _history.AddRange(history);
        _log.Clear(); _log.AddRange(log);
        _growths.Clear(); _growths.AddRange(growths);
        _rescues.Clear(); _rescues.AddRange(rescues);
    }

    /// <summary>Records a rescue and writes its message (<see cref="RescueEvent.Describe"/>) to the run's log.</summary>
    internal void RecordRescue(RescueEvent rescue)
    {
        _rescues.Add(rescue);
        Write(rescue.Describe());
    }

    /// <summary>Appends a message to the run's log.</summary>
    public void Write(string message) => _log.Add(LogLine(Meter.Steps, message));

    /// <summary>A run-log line as <see cref="Write"/> writes it: "[step <paramref name="step"/>] <paramref name="message"/>".</summary>
    public static string LogLine(long step, string message) => $"[step {step}] {message}";

    /// <summary>Records a growth of the model and writes its message (<see cref="GrowthEvent.Describe"/>) to the run's log.</summary>
    public void RecordGrowth(GrowthEvent growth)
    {
        ArgumentNullException.ThrowIfNull(growth);
        _growths.Add(growth);
        Write(growth.Describe(Objective.MetricName));
    }

    /// <summary>Evaluates the current model on the dev set (wall clock paused) and returns (loss, metric).</summary>
    public (double Loss, double Metric) EvaluateDev(int? maxExamples = null)
    {
        Meter.Pause();
        try { return _evaluate(Module, maxExamples); }
        finally { Meter.Resume(); }
    }

    /// <summary>Evaluates on the dev set and appends a record with <paramref name="note"/>.</summary>
    public MetricsRecord Record(double trainLoss, string? note = null)
    {
        var (loss, metric) = EvaluateDev(Options.MaxEvalExamples);
        var record = new MetricsRecord(Meter.Steps, Meter.Spent(BudgetUnit.Epochs), trainLoss, loss, metric,
            Meter.WallClockSeconds, Meter.Flops, Meter.ReferenceSeconds, Meter.Samples,
            (Module as GrowableTransformer)?.Config.DModel ?? 0, (Module as GrowableTransformer)?.Config.Layers ?? 0, note)
        {
            MetricName = Objective.MetricName,
            HigherIsBetter = Objective.HigherIsBetter,
        };
        _history.Add(record);
        return record;
    }

    /// <summary>Makes <paramref name="optimizer"/> the run's optimizer and reads each group's peak rate as its factory set it.</summary>
    private void Install(optim.Optimizer optimizer)
    {
        Optimizer = optimizer;
        PeakLearningRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
    }

    /// <summary>
    /// The rate of param group <paramref name="group"/> for a step: its peak x <paramref name="multiplier"/> x
    /// <see cref="LearningRateScale"/>.
    /// </summary>
    internal double StepLearningRate(int group, double multiplier) =>
        PeakLearningRates[Math.Min(group, PeakLearningRates.Count - 1)] * multiplier * LearningRateScale;

    /// <summary>
    /// Replaces the model (growth): disposes the old model and optimizer, moves the new model to the run's
    /// device and builds a fresh optimizer with the factory (optimizer-state policy: reset; operators that map
    /// moments do so through <paramref name="optimizer"/>, which must come from <see cref="OptimizerFactory"/> with
    /// <see cref="TrainerOptions.LearningRate"/>, so the peak rates stay the same). Any module may replace any module;
    /// a transformer replacing a transformer keeps its layer gate.
    /// </summary>
    public void ReplaceModel(nn.Module<Tensor, Tensor> model, string reason, optim.Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var device = ModuleDevice.Of(Module);
        var gate = (Module as GrowableTransformer)?.LayerGate;
        Optimizer.Dispose();
        if (!ReferenceEquals(model, Module)) Module.Dispose();
        Module = model;
        if (ModuleDevice.Of(model).type != device.type) model.to(device);
        if (model is GrowableTransformer transformer) transformer.LayerGate = gate;
        Install(optimizer ?? OptimizerFactory.Create(Trainer.Named(Module), Options.LearningRate, Options.WeightDecay));
        long parameters = ModuleDevice.ParameterCount(model);
        Write(model is GrowableTransformer t
            ? $"model replaced ({reason}): {t.Config.Describe()}, parameters={parameters:N0}"
            : $"model replaced ({reason}): {model.GetType().Name}, parameters={parameters:N0}");
    }
}
