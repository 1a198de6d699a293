namespace Bus.Experiments.BusProtocol;

/// <summary>
/// Seed 002's protocol: train at d/2 for <see cref="SmallEpochs"/> (E1), grow to d, train <see cref="GrownEpochs"/>
/// (E2); baseline: d from scratch for E1 + E2 epochs; control: d initialised by the growth operator from an
/// UNTRAINED d/2 model (identity blocks, no trained small model), E1 + E2 epochs; each over <see cref="Seeds"/> seeds.
/// </summary>
public sealed record BusExperimentOptions() : FullModelOptions(DefaultModel)
{
    /// <summary>The large model by default: d 64 (the small one d 32), 1 layer, 1 head, d_ff 256.</summary>
    public static TransformerConfig DefaultModel { get; } = new() { DModel = 64, Layers = 1, Heads = 1, FeedForwardSize = 256 };

    /// <summary>Task to train.</summary>
    public ExperimentTaskKind Task { get; init; } = ExperimentTaskKind.LetterCounting;

    /// <summary>E1: epochs at d/2 before growth.</summary>
    public double SmallEpochs { get; init => field = Guard.Positive(value, nameof(SmallEpochs)); } = 4;

    /// <summary>E2: epochs at d after growth.</summary>
    public double GrownEpochs { get; init => field = Guard.Positive(value, nameof(GrownEpochs)); } = 6;

    /// <summary>Seeds per arm (N).</summary>
    public int Seeds { get; init => field = Guard.Positive(value, nameof(Seeds)); } = 3;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init => field = Guard.Positive(value, nameof(BatchSize)); } = 64;

    /// <summary>Peak learning rate (AdamW, linear warm-up 5%, linear decay to 0 at the run's end).</summary>
    public double LearningRate { get; init => field = Guard.Positive(value, nameof(LearningRate)); } = 1e-3;

    /// <summary>Window length (20 in seed 002).</summary>
    public int SequenceLength { get; init => field = Guard.Positive(value, nameof(SequenceLength)); } = 20;

    /// <summary>Cap on windows taken from the corpus (null: all).</summary>
    public int? MaxWindows { get; init => field = value is { } v ? Guard.AtLeast(v, 2, nameof(MaxWindows)) : null; }

    /// <summary>Dev evaluations per epoch (curves resolution).</summary>
    public int EvaluationsPerEpoch { get; init => field = Guard.Positive(value, nameof(EvaluationsPerEpoch)); } = 1;

    /// <summary>Growth operator name: "bus-identity" (seed 002) or any registered operator.</summary>
    public string Operator { get; init; } = "bus-identity";

    /// <summary>Run the identity-initialisation control arm.</summary>
    public bool IncludeControl { get; init; } = true;

    /// <summary>Device name.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>First seed (seeds are FirstSeed .. FirstSeed + Seeds - 1).</summary>
    public long FirstSeed { get; init; }
}
