namespace Bus.Experiments.Frontier;

/// <summary>
/// The compute-frontier study (issue 24): at each <see cref="Scales"/> entry, every scratch size
/// (<see cref="FrontierSizes"/>) with its learning rate tuned, at budgets spanning <see cref="BudgetFractions"/> of the
/// largest; the growth arms from the small models at the largest budget; all on one train/dev/test split of the text.
/// The largest budget of a scale gives its full model <see cref="TokensPerParameter"/> tokens per non-embedding
/// parameter, converted to reference seconds with the scale's calibrated step cost. An immutable record with validated defaults.
/// </summary>
public sealed record FrontierOptions
{
    /// <summary>Scales, smallest first (each with its own sizes, tuning and growth arms).</summary>
    public IReadOnlyList<FrontierScale> Scales
    {
        get;
        init => field = value is { Count: > 0 } && value.Select(s => s.Validate().Name).Distinct().Count() == value.Count
            ? value.ToArray()
            : throw new ArgumentException("Scales must be a non-empty list with distinct names.", nameof(Scales));
    } = [new("gpt-d32", 32, 4, 2)];

    /// <summary>Window (context) length in characters.</summary>
    public int ContextLength { get; init => field = Guard.Positive(value, nameof(ContextLength)); } = 64;

    /// <summary>Windows per optimizer step.</summary>
    public int BatchSize { get; init => field = Guard.Positive(value, nameof(BatchSize)); } = 32;

    /// <summary>Tokens per non-embedding parameter the full model of a scale sees at the largest budget (Chinchilla's 20).</summary>
    public double TokensPerParameter
    {
        get;
        init => field = Guard.InRange(value, 0, 1e6, nameof(TokensPerParameter), minExclusive: true);
    } = 20;

    /// <summary>
    /// Fixed largest budget in <see cref="Unit"/> for every scale, instead of one derived from <see cref="TokensPerParameter"/>
    /// (tests and step-unit runs); null (default): derived.
    /// </summary>
    public double? MaxBudget
    {
        get;
        init => field = value is { } b ? Guard.InRange(b, 0, 1e12, nameof(MaxBudget), minExclusive: true) : null;
    }

    /// <summary>Budgets as fractions of the largest, ascending, the last 1 (default 1/8, 1/sqrt 8, 1: an 8x span).</summary>
    public IReadOnlyList<double> BudgetFractions
    {
        get;
        init => field = value is { Count: > 0 } && value.All(f => f > 0 && f <= 1) && value[^1] == 1
            && value.Zip(value.Skip(1)).All(p => p.First < p.Second)
            ? value.ToArray()
            : throw new ArgumentException($"BudgetFractions must ascend within (0, 1] and end at 1, got [{Join(value)}].",
                nameof(BudgetFractions));
    } = [0.125, 0.3536, 1];

    /// <summary>Budget unit: reference seconds (calibrated per scale) or steps (tests).</summary>
    public BudgetUnit Unit
    {
        get;
        init => field = value is BudgetUnit.ReferenceSeconds or BudgetUnit.Steps
            ? value : throw new ArgumentOutOfRangeException(nameof(Unit), value, "Unit must be ReferenceSeconds or Steps.");
    } = BudgetUnit.ReferenceSeconds;

    /// <summary>Starting grid of peak learning rates (a factor 2 apart), extended by 2x steps until the best is interior.</summary>
    public IReadOnlyList<double> LearningRates
    {
        get;
        init => field = value is { Count: >= 2 } && value.All(v => double.IsFinite(v) && v > 0)
            && value.Zip(value.Skip(1)).All(p => p.First < p.Second)
            ? value.ToArray()
            : throw new ArgumentException($"LearningRates must be at least 2 ascending positive values, got [{Join(value)}].",
                nameof(LearningRates));
    } = [1e-3, 2e-3, 4e-3, 8e-3];

    /// <summary>How many times the grid may grow by one value at an edge (best still at the edge afterwards is noted).</summary>
    public int MaxGridExtensions { get; init => field = Guard.NonNegative(value, nameof(MaxGridExtensions)); } = 3;

    /// <summary>Seeds of the learning-rate tuning runs (at the largest budget).</summary>
    public int TuningSeeds { get; init => field = Guard.Positive(value, nameof(TuningSeeds)); } = 1;

    /// <summary>Seeds of frontier points below the largest budget.</summary>
    public int FrontierSeeds { get; init => field = Guard.Positive(value, nameof(FrontierSeeds)); } = 3;

    /// <summary>Seeds of everything in the final comparison: growth arms and every scratch size at the largest budget.</summary>
    public int FinalSeeds { get; init => field = Guard.Positive(value, nameof(FinalSeeds)); } = 5;

    /// <summary>First seed.</summary>
    public long FirstSeed { get; init; }

    /// <summary>Growth operators run at each growth scale (registered names, or "midas").</summary>
    public IReadOnlyList<string> Operators
    {
        get;
        init => field = value is not null && value.Distinct().Count() == value.Count && value.All(v => !string.IsNullOrWhiteSpace(v))
            ? value.ToArray() : throw new ArgumentException($"Operators must be distinct names, got [{Join(value)}].", nameof(Operators));
    } = ["stack-depth", "fpi-depth-top", "msg-depth", FrontierArms.Midas, "hypercloning", "bus-identity", "msg-width"];

    /// <summary>The second growth time, as a budget fraction (the first is G_stack's rule, clamped).</summary>
    public double OtherGrowthFraction
    {
        get;
        init => field = Guard.InRange(value, 0, 1, nameof(OtherGrowthFraction), minExclusive: true, maxExclusive: true);
    } = 0.25;

    /// <summary>Lower clamp of G_stack's growth fraction.</summary>
    public double GStackMin
    {
        get;
        init => field = Guard.InRange(value, 0, 1, nameof(GStackMin), minExclusive: true, maxExclusive: true);
    } = 0.05;

    /// <summary>Upper clamp of G_stack's growth fraction (at least <see cref="GStackMin"/>).</summary>
    public double GStackMax
    {
        get;
        init => field = Guard.InRange(value, 0, 1, nameof(GStackMax), minExclusive: true, maxExclusive: true);
    } = 0.5;

    /// <summary>Post-growth schedules tried on the best growth arm of each scale (besides the continuing schedule).</summary>
    public IReadOnlyList<PostGrowthSchedule> BestVariants
    {
        get;
        init => field = value?.ToArray() ?? throw new ArgumentNullException(nameof(BestVariants));
    }
        = [PostGrowthSchedule.Rewarm, PostGrowthSchedule.Lemon];

    /// <summary>Dev share of the windows (after train, before test).</summary>
    public double DevFraction { get; init => field = Guard.InRange(value, 0, 0.5, nameof(DevFraction), minExclusive: true); } = 0.05;

    /// <summary>Test share of the windows (the last ones; used only for the final tables).</summary>
    public double TestFraction { get; init => field = Guard.InRange(value, 0, 0.5, nameof(TestFraction), minExclusive: true); } = 0.05;

    /// <summary>Dev evaluation spacing as a budget fraction (at most 0.02 in the full study).</summary>
    public double EvaluateEveryFraction
    {
        get;
        init => field = Guard.InRange(value, 0, 1, nameof(EvaluateEveryFraction), minExclusive: true);
    } = 0.02;

    /// <summary>Dev windows per evaluation (null: all).</summary>
    public int? MaxEvalExamples { get; init => field = value is { } v ? Guard.Positive(v, nameof(MaxEvalExamples)) : null; } = 256;

    /// <summary>Test windows evaluated at the end of each run (null: all).</summary>
    public int? MaxTestExamples { get; init => field = value is { } v ? Guard.Positive(v, nameof(MaxTestExamples)) : null; }

    /// <summary>AdamW weight decay of every run.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegative(value, nameof(WeightDecay)); } = 0.01;

    /// <summary>Timed repeats per cost-table entry (the entry is their median).</summary>
    public int CalibrationRepeats { get; init => field = Guard.AtLeast(value, 5, nameof(CalibrationRepeats)); } = 5;

    /// <summary>Other processes' CPU use during a calibration, in cores, above which it is re-taken.</summary>
    public double MaxForeignLoad { get; init => field = Guard.NonNegative(value, nameof(MaxForeignLoad)); } = 0.25;

    /// <summary>Calibration attempts (a minute apart) before the study stops with an error.</summary>
    public int CalibrationAttempts { get; init => field = Guard.Positive(value, nameof(CalibrationAttempts)); } = 30;

    /// <summary>Device name.</summary>
    public string Device
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("Device must be named, e.g. \"cpu\".", nameof(Device))
            : value;
    } = "cpu";

    /// <summary>
    /// The study of issue 24 sized for about ten hours of this 2-core machine with two workers: GPT at d = 24, 48 and 80
    /// (4 layers; 2, 4 and 4 heads; the full models' ~29k, ~114k and ~310k non-embedding parameters span more than 8x) and
    /// Llama at d = 24; context 64 x batch 32; 20 tokens per parameter at the largest budget. (d = 32, 64, 96 was sized first:
    /// its calibrated d = 96 step made the largest budget 664 reference seconds and the study about 27 core-hours.)
    /// </summary>
    public static FrontierOptions Frontier => new()
    {
        Scales = [new("gpt-d24", 24, 4, 2), new("llama-d24", 24, 4, 2, ModelArchitecture.Llama), new("gpt-d48", 48, 4, 4),
            new("gpt-d80", 80, 4, 4)],
    };

    /// <summary>Seconds-sized test preset: two 16-wide scales (GPT, Llama), 2 layers, 16-character windows, step budgets, 2
    /// seeds.</summary>
    public static FrontierOptions Tiny => new()
    {
        Scales = [new("gpt-d16", 16, 2, 2), new("llama-d16", 16, 2, 2, ModelArchitecture.Llama, Growth: false)],
        ContextLength = 16, BatchSize = 8, Unit = BudgetUnit.Steps, MaxBudget = 16, BudgetFractions = [0.25, 0.5, 1],
        LearningRates = [3e-3, 1e-2], MaxGridExtensions = 1, FrontierSeeds = 2, FinalSeeds = 2, EvaluateEveryFraction = 0.125,
        MaxEvalExamples = 32, MaxTestExamples = 64, Operators = ["stack-depth", FrontierArms.Midas, "hypercloning"],
            OtherGrowthFraction = 0.25,
    };

    private static string Join(IEnumerable<double>? values) =>
        values is null ? "null" : string.Join(",", values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));

    private static string Join(IEnumerable<string>? values) => values is null ? "null" : string.Join(",", values);
}
