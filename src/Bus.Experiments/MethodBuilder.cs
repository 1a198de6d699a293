namespace Bus.Experiments;

/// <summary>
/// What a <see cref="MethodSpec"/> sees and sets for one run (one budget, one seed). Starts as the baseline:
/// the full model from scratch, AdamW at the comparison's lr and weight decay, uniform batches, no algorithms,
/// the whole training set. Work a method does before the run (e.g. training RHO-LOSS's IL model) is recorded
/// with <see cref="AddSetup"/>; charged setup is taken off the run's budget.
/// </summary>
public sealed class MethodBuilder : IDisposable
{
    private readonly List<SequenceDataset> _owned = [];
    private readonly List<SetupCost> _setup = [];

    /// <summary>Creates the baseline state of one run.</summary>
    public MethodBuilder(ComparisonOptions options, TransformerConfig fullConfig, SequenceDataset train, SequenceDataset dev,
        SequenceObjective objective, double budget, long seed, IStepCostModel? costModel)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        FullConfig = (fullConfig ?? throw new ArgumentNullException(nameof(fullConfig))).Validate();
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Dev = dev ?? throw new ArgumentNullException(nameof(dev));
        Objective = objective ?? throw new ArgumentNullException(nameof(objective));
        Budget = new Budget(options.Unit, budget);
        if (options.Unit == BudgetUnit.ReferenceSeconds && costModel is null)
            throw new ArgumentException("A reference-seconds comparison needs a cost model.", nameof(costModel));
        Seed = seed;
        CostModel = costModel;
        InitialConfig = FullConfig;
        LearningRate = options.LearningRate;
        WeightDecay = options.WeightDecay;
    }

    /// <summary>The comparison's options.</summary>
    public ComparisonOptions Options { get; }

    /// <summary>The shape every method ends at.</summary>
    public TransformerConfig FullConfig { get; }

    /// <summary>The run's whole budget (setup included when charged).</summary>
    public Budget Budget { get; }

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>Reference-time cost model (null for step/FLOP budgets run without one).</summary>
    public IStepCostModel? CostModel { get; }

    /// <summary>The dev set (final metric and checkpoint selection).</summary>
    public SequenceDataset Dev { get; }

    /// <summary>Task loss and metric.</summary>
    public SequenceObjective Objective { get; }

    /// <summary>Shape of the model training starts with (growth sets a smaller one).</summary>
    public TransformerConfig InitialConfig { get; set; }

    /// <summary>The set the main run trains on (RHO-LOSS removes its holdout).</summary>
    public SequenceDataset Train { get; set; }

    /// <summary>Optimizer of the main run (AdamW unless a method replaces it).</summary>
    public IOptimizerFactory Optimizer { get; set; } = new AdamWFactory();

    /// <summary>Peak learning rate of the main run.</summary>
    public double LearningRate { get; set; }

    /// <summary>Weight decay of the main run.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Batch selector of the main run (null: uniform shuffled batches).</summary>
    public IBatchSelector? Selector { get; set; }

    /// <summary>Training algorithms of the main run, in order.</summary>
    public List<ITrainingAlgorithm> Algorithms { get; } = [];

    /// <summary>Work done before the main run.</summary>
    public IReadOnlyList<SetupCost> Setup => _setup;

    /// <summary>Setup spent that is taken off the budget, in <see cref="ComparisonOptions.Unit"/>.</summary>
    public double ChargedSetup => _setup.Where(s => s.Charged).Sum(s => s.Spent);

    /// <summary>What the main run may spend: the budget less charged setup.</summary>
    /// <exception cref="SetupExceedsBudgetException">Charged setup used up the whole budget.</exception>
    public Budget MainBudget => Budget.Amount - ChargedSetup > 0
        ? new Budget(Budget.Unit, Budget.Amount - ChargedSetup)
        : throw new SetupExceedsBudgetException(
            $"Setup ({string.Join(", ", _setup.Select(s => s.Note))}) spent {ChargedSetup:G4} of the budget {Budget}; nothing is left " +
            $"for training.");

    /// <summary>Records work done before the main run.</summary>
    public void AddSetup(SetupCost cost) => _setup.Add(cost ?? throw new ArgumentNullException(nameof(cost)));

    /// <summary>Keeps <paramref name="dataset"/> alive for the run and disposes it with this builder.</summary>
    public SequenceDataset Own(SequenceDataset dataset)
    {
        _owned.Add(dataset ?? throw new ArgumentNullException(nameof(dataset)));
        return dataset;
    }

    /// <summary>Trainer options shared by the main run and auxiliary runs (IL model), with <paramref name="budget"/>.</summary>
    public TrainerOptions TrainerOptions(Budget budget, long seed) => new()
    {
        BatchSize = Options.BatchSize, LearningRate = LearningRate, WeightDecay = WeightDecay, Seed = seed, Budget = budget,
        CostModel = CostModel, Device = Options.Device, EvaluationsPerEpoch = Options.EvaluationsPerEpoch,
            EvaluateEveryFraction = Options.EvaluateEveryFraction, MaxEvalExamples = Options.MaxEvalExamples,
    };

    /// <summary>
    /// Builds the main run's trainer (which checks, before any training, that its algorithms can run together)
    /// and its initial model.
    /// </summary>
    public (Trainer Trainer, GrowableTransformer Model) Build(IEnumerable<ITrainingAlgorithm>? extra = null)
    {
        var trainer = new Trainer(TrainerOptions(MainBudget, Seed), Optimizer, Selector, Algorithms.Concat(extra ?? []));
        return (trainer, GrowableTransformer.Create(InitialConfig, Seed));
    }

    /// <summary>Disposes datasets the methods created.</summary>
    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
    }
}

/// <summary>Work a method did before its main run (e.g. training an irreducible-loss model).</summary>
/// <param name="Note">What was done.</param>
/// <param name="Charged">Whether it is taken off the method's budget.</param>
/// <param name="Spent">Amount in the comparison's budget unit.</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Flops">Estimated FLOPs.</param>
/// <param name="ReferenceSeconds">Reference seconds (0 without a cost model).</param>
/// <param name="WallClockSeconds">Wall-clock seconds.</param>
public sealed record SetupCost(string Note, bool Charged, double Spent, long Steps, double Flops, double ReferenceSeconds,
    double WallClockSeconds);

/// <summary>Thrown when a method's charged setup (e.g. RHO-LOSS's IL model) spends the whole budget: the method cannot run at that
/// budget.</summary>
/// <param name="message">What was spent, against which budget.</param>
public sealed class SetupExceedsBudgetException(string message) : InvalidOperationException(message);
