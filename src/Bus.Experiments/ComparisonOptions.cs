using System.Text.Json.Serialization;

namespace Bus.Experiments;

/// <summary>
/// Options of an equal-budget comparison (NTNG, Kaddour et al. 2023): every method gets the same budget in
/// one <see cref="BudgetUnit"/>, and every run's learning rate is fully decayed exactly at its budget.
/// An immutable record with validated defaults.
/// </summary>
public sealed record ComparisonOptions() : FullModelOptions(DefaultModel)
{
    /// <summary>The full model by default: d 64, 2 layers (layer dropping needs at least 2), 1 head, d_ff 256.</summary>
    public static TransformerConfig DefaultModel { get; } = new() { DModel = 64, Layers = 2, Heads = 1, FeedForwardSize = 256 };

    private readonly IReadOnlyList<double> _budgets = [20, 40, 80];
    private readonly BudgetUnit _unit = BudgetUnit.ReferenceSeconds;
    private readonly IReadOnlyList<string> _methods = ["baseline", "bus-identity", "rho-loss", "selective-backprop", "lion",
        "layer-drop", "bus-identity+lion", "layer-drop+lion"];
    private readonly int _evaluationsPerEpoch = 4;
    private readonly int? _maxEvalExamples = 2000;
    private readonly double _growthFraction = 0.25;
    private readonly double _lionWdMultiplier = 10;
    private readonly double _rhoHoldoutFraction = 0.2;
    private readonly double _rhoIlBudgetFraction = 0.25;
    private readonly double _rhoSelectionFraction = 0.5;
    private readonly int _calibrationRepeats = 7;
    private readonly string _device = "cpu";

    /// <summary>Task: letter counting (accuracy) or character LM (bits per character).</summary>
    public ExperimentTaskKind Task { get; init; } = ExperimentTaskKind.LetterCounting;

    /// <summary>Window length in characters.</summary>
    public int SequenceLength { get; init => field = Guard.Positive(value, nameof(SequenceLength)); } = 20;

    /// <summary>Cap on windows taken from the corpus (null: all).</summary>
    public int? MaxWindows { get; init => field = value is { } v ? Guard.AtLeast(v, 2, nameof(MaxWindows)) : null; }

    /// <summary>Budgets to compare at, in <see cref="Unit"/> (each positive and finite).</summary>
    public IReadOnlyList<double> Budgets
    {
        get => _budgets;
        init => _budgets = value is { Count: > 0 } && value.All(b => double.IsFinite(b) && b > 0)
            ? value.ToArray()
            : throw new ArgumentOutOfRangeException(nameof(Budgets), value is null ? "null" : string.Join(",", value),
                "Budgets must be a non-empty list of positive finite amounts.");
    }

    /// <summary>
    /// What a budget counts: reference seconds (default; a cost model calibrated once at the start), or steps/FLOPs for
    /// quick runs.
    /// </summary>
    public BudgetUnit Unit
    {
        get => _unit;
        init => _unit = Enum.IsDefined(value) && value != BudgetUnit.Epochs
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Unit), value,
                $"Unit {value} is not supported (epochs differ between methods that change the training set).");
    }

    /// <summary>Seeds per (budget, method): FirstSeed .. FirstSeed + Seeds - 1.</summary>
    public int Seeds { get; init => field = Guard.Positive(value, nameof(Seeds)); } = 3;

    /// <summary>First seed.</summary>
    public long FirstSeed { get; init; }

    /// <summary>Methods by name (see <see cref="MethodCatalog.Names"/>); "a+b" combines methods.</summary>
    public IReadOnlyList<string> Methods
    {
        get => _methods;
        init => _methods = value is { Count: > 0 } && value.All(m => !string.IsNullOrWhiteSpace(m))
            ? value.ToArray()
            : throw new ArgumentException($"Methods must be a non-empty list of names, got "
                + $"[{(value is null ? "null" : string.Join(",", value))}].", nameof(Methods));
    }

    /// <summary>Examples back-propagated per step (every method).</summary>
    public int BatchSize { get; init => field = Guard.Positive(value, nameof(BatchSize)); } = 32;

    /// <summary>Peak AdamW learning rate (5% warm-up, linear decay to 0 at the budget).</summary>
    public double LearningRate { get; init => field = Guard.Positive(value, nameof(LearningRate)); } = 1e-3;

    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegative(value, nameof(WeightDecay)); } = 0.01;

    /// <summary>Dev evaluations per epoch (time-to-target resolution); one also runs at the budget.</summary>
    public int EvaluationsPerEpoch { get => _evaluationsPerEpoch; init => _evaluationsPerEpoch = Guard.Positive(value,
        nameof(EvaluationsPerEpoch)); }

    /// <summary>
    /// Evaluate every this fraction of the budget (e.g. 0.02), whatever the epoch length; null (default):
    /// <see cref="EvaluationsPerEpoch"/> decides.
    /// </summary>
    public double? EvaluateEveryFraction { get; init => field = value is { } f ? Guard.InRange(f, 0, 1,
        nameof(EvaluateEveryFraction), minExclusive: true) : null; }

    /// <summary>Dev examples per evaluation (null: all). The final metric uses the same cap.</summary>
    public int? MaxEvalExamples { get => _maxEvalExamples; init => _maxEvalExamples = value is { } v ? Guard.Positive(v,
        nameof(MaxEvalExamples)) : null; }

    /// <summary>Budget fraction at which growth methods grow (d/2 -> d, or L/2 -> L); 0.25 by default.</summary>
    public double GrowthFraction { get => _growthFraction; init => _growthFraction = Guard.InRange(value, 0, 1,
        nameof(GrowthFraction), minExclusive: true, maxExclusive: true); }

    /// <summary>Lion's lr = AdamW lr / this (the note: 3-10x smaller; default 3).</summary>
    public double LionLrDivisor { get; init => field = Guard.AtLeast(value, 1, nameof(LionLrDivisor)); } = 3;

    /// <summary>Lion's weight decay = AdamW weight decay x this (the note: 3-10x larger; default 10, NTNG's 0.01 -> 0.1).</summary>
    public double LionWdMultiplier { get => _lionWdMultiplier; init => _lionWdMultiplier = Guard.AtLeast(value, 1,
        nameof(LionWdMultiplier)); }

    /// <summary>
    /// RHO-LOSS: fraction of the training set held out to train the irreducible-loss model (the main model trains on the
    /// rest).
    /// </summary>
    public double RhoHoldoutFraction { get => _rhoHoldoutFraction; init => _rhoHoldoutFraction = Guard.InRange(value, 0, 0.5,
        nameof(RhoHoldoutFraction), minExclusive: true); }

    /// <summary>RHO-LOSS: the IL model's training budget as a fraction of the comparison budget (same unit).</summary>
    public double RhoIlBudgetFraction { get => _rhoIlBudgetFraction; init => _rhoIlBudgetFraction = Guard.InRange(value, 0, 1,
        nameof(RhoIlBudgetFraction), minExclusive: true, maxExclusive: true); }

    /// <summary>
    /// RHO-LOSS: true (default) charges IL training and IL scoring to the method's budget, so the main run gets
    /// what is left; false treats them as free, as the RHO-LOSS paper does (their cost is still reported).
    /// The method names "rho-loss-charged" and "rho-loss-free" override this per method.
    /// </summary>
    public bool RhoChargeIrreducibleLoss { get; init; } = true;

    /// <summary>RHO-LOSS: fraction of each big batch trained on (NTNG's 1536 of 3072 = 0.5; the paper's 0.1).</summary>
    public double RhoSelectionFraction { get => _rhoSelectionFraction; init => _rhoSelectionFraction = Guard.InRange(value, 0, 1,
        nameof(RhoSelectionFraction), minExclusive: true); }

    /// <summary>Timed repeats per cost-table entry when calibrating the reference-time cost model.</summary>
    public int CalibrationRepeats { get => _calibrationRepeats; init => _calibrationRepeats = Guard.Positive(value,
        nameof(CalibrationRepeats)); }

    /// <summary>A cost model to use instead of calibrating one (null: calibrate when the unit is reference seconds).</summary>
    [JsonIgnore]
    public IStepCostModel? CostModel { get; init; }

    /// <summary>Device name.</summary>
    public string Device { get => _device; init => _device = string.IsNullOrWhiteSpace(value)
        ? throw new ArgumentException("Device must be named, e.g. \"cpu\".", nameof(Device)) : value; }
}
