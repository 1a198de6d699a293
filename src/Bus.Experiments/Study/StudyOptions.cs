using System.Text.Json.Serialization;

namespace Bus.Experiments.Study;

/// <summary>
/// The growth study: every arm at one reference-time budget (<see cref="Comparison"/> holds the task, model, budget,
/// seeds and cost calibration), run in three phases. 1: scratch at each of <see cref="ScratchLearningRates"/>; the
/// lowest mean final dev metric picks the tuned rate (the target). 2: <see cref="Arms"/> at the tuned rate. 3:
/// <see cref="BestArms"/>, where "best" stands for the growth operator of phase 2 with the best mean final metric
/// (e.g. "best:map" for optimizer-state mapping, "best@0.1" for growth at 10% of the budget).
/// An immutable record with validated defaults.
/// </summary>
public sealed record StudyOptions
{
    private readonly IReadOnlyList<double> _learningRates = [1e-3, 2e-3, 4e-3];
    private readonly IReadOnlyList<string> _arms = ["stack-depth", "fpi-depth-top", "hypercloning", "bus-identity", "identity-control",
        "ligo", "knowledge-inheritance"];

    /// <summary>Task, full model (its family: GPT or Llama, for every arm), the one budget (first of
    /// <see cref="ComparisonOptions.Budgets"/>), unit, seeds, batch and calibration; its Methods and LearningRate are ignored.</summary>
    public ComparisonOptions Comparison
    {
        get; init => field = value ?? throw new ArgumentNullException(nameof(Comparison));
    } = new() { Task = ExperimentTaskKind.CharLm, Budgets = [60], Methods = ["baseline"] };

    /// <summary>Peak learning rates scratch is tuned over (phase 1).</summary>
    public IReadOnlyList<double> ScratchLearningRates
    {
        get => _learningRates;
        init => _learningRates = value is { Count: > 0 } && value.All(v => double.IsFinite(v) && v > 0)
            && value.Distinct().Count() == value.Count
            ? value.ToArray()
            : throw new ArgumentOutOfRangeException(nameof(ScratchLearningRates), value is null ? "null" : string.Join(",", value),
                "Scratch learning rates must be distinct, positive and finite, at least one.");
    }

    /// <summary>Phase-2 arms (see <see cref="StudyArms.Parse"/>).</summary>
    public IReadOnlyList<string> Arms
    {
        get => _arms;
        init => _arms = Checked(value, nameof(Arms), allowBest: false);
    }

    /// <summary>Phase-3 arms built on the best operator ("best", "best:map", "best@f", "best@f:map"); may be empty.</summary>
    public IReadOnlyList<string> BestArms
    {
        get; init => field = Checked(value, nameof(BestArms), allowBest: true, allowEmpty: true);
    } = ["best:map", "best@0.1", "best@0.5"];

    /// <summary>The one budget every arm gets, in <see cref="ComparisonOptions.Unit"/>.</summary>
    public double Budget => Comparison.Budgets[0];

    /// <summary>These options with every arm's model in <paramref name="architecture"/>'s family (GPT or Llama).</summary>
    public StudyOptions InFamily(ModelArchitecture architecture) =>
        this with { Comparison = Comparison with { Model = Comparison.Model with { Architecture = architecture } } };

    /// <summary>Name of the scratch arm at <paramref name="learningRate"/>, e.g. "scratch-lr0.002".</summary>
    public static string ScratchArm(double learningRate) => "scratch-lr" + learningRate.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Seconds-sized test preset: a 16-wide, 2-layer char LM on 200 windows of 16 characters, 12-step budget, 2 seeds.</summary>
    public static StudyOptions Tiny => new()
    {
        Comparison = new ComparisonOptions
        {
            Task = ExperimentTaskKind.CharLm, Model = new() { DModel = 16, Layers = 2, Heads = 2, FeedForwardSize = 64 },
            SequenceLength = 16, MaxWindows = 200, BatchSize = 8,
            Budgets = [12], Unit = BudgetUnit.Steps, Seeds = 2, EvaluationsPerEpoch = 2, MaxEvalExamples = 32, Methods = ["baseline"],
        },
        ScratchLearningRates = [3e-3, 1e-2],
        Arms = ["stack-depth", "bus-identity", "knowledge-inheritance"],
        BestArms = ["best:map"],
    };

    /// <summary>
    /// About ten minutes on two shared cores: a 64-wide, 2-layer, 2-head char LM, context 64, batch 16, on 6,000 windows
    /// of the text, a 10-reference-second budget (calibrated once), 3 seeds, 3 scratch rates, 7 arms and 3 best-operator arms.
    /// </summary>
    public static StudyOptions Quick => new()
    {
        Comparison = new ComparisonOptions
        {
            Task = ExperimentTaskKind.CharLm, Model = new() { DModel = 64, Layers = 2, Heads = 2, FeedForwardSize = 256 },
            SequenceLength = 64, MaxWindows = 6000, BatchSize = 16,
            Budgets = [10], Unit = BudgetUnit.ReferenceSeconds, Seeds = 3, EvaluationsPerEpoch = 8, MaxEvalExamples = 256,
                CalibrationRepeats = 3, Methods = ["baseline"],
        },
    };

    /// <summary>
    /// The full study: d = 128, 4 layers, 4 heads (~0.8M parameters), context 128, batch 32 (4,096 tokens per step),
    /// a 240-reference-second budget, 3 seeds; meant for the full Brown text (scripts/fetch-brown.sh).
    /// </summary>
    public static StudyOptions Full => new()
    {
        Comparison = new ComparisonOptions
        {
            Task = ExperimentTaskKind.CharLm, Model = new() { DModel = 128, Layers = 4, Heads = 4, FeedForwardSize = 512 },
            SequenceLength = 128, BatchSize = 32,
            Budgets = [240], Unit = BudgetUnit.ReferenceSeconds, Seeds = 3, EvaluationsPerEpoch = 20, MaxEvalExamples = 256,
                CalibrationRepeats = 5, Methods = ["baseline"],
        },
    };

    /// <summary>The preset named <paramref name="name"/>: tiny, quick or full.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static StudyOptions Preset(string name) => name switch
    {
        "tiny" => Tiny,
        "quick" => Quick,
        "full" => Full,
        _ => throw new ArgumentException($"Unknown study preset '{name}': use tiny, quick or full.", nameof(name)),
    };

    private static string[] Checked(IReadOnlyList<string>? value, string name, bool allowBest, bool allowEmpty = false)
    {
        if (value is null || (!allowEmpty && value.Count == 0) || value.Any(string.IsNullOrWhiteSpace)
            || value.Distinct().Count() != value.Count)
            throw new ArgumentException(
                $"{name} must be a list of distinct arm names, got [{(value is null ? "null" : string.Join(",", value))}].", name);
        foreach (var arm in value)
        {
            bool best = arm == "best" || arm.StartsWith("best@", StringComparison.Ordinal)
                || arm.StartsWith("best:", StringComparison.Ordinal);
            if (best != allowBest)
                throw new ArgumentException(
                    $"{name}: arm '{arm}' {(allowBest ? "must start with 'best'" : "cannot use 'best' (put it in BestArms)")}.", name);
            _ = StudyArms.Parse(allowBest ? "hypercloning" + arm[4..] : arm); // unknown names fail here, before any run
        }
        return value.ToArray();
    }

    // study.json files written before the family moved into Comparison.Model hold it here; they still load (Comparison is written
    // first, so the family lands on the model already read).
    [JsonInclude, JsonPropertyName("Architecture"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private ModelArchitecture? LegacyArchitecture
    {
        get => null;
        init => Comparison = value is { } a ? InFamily(a).Comparison : Comparison;
    }
}
