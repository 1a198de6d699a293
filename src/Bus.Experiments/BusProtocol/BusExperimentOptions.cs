namespace Bus.Experiments.BusProtocol;

/// <summary>
/// Seed 002's protocol: train at d/2 for <see cref="SmallEpochs"/> (E1), grow to d, train <see cref="GrownEpochs"/>
/// (E2); baseline: d from scratch for E1 + E2 epochs; control: d initialised by the growth operator from an
/// UNTRAINED d/2 model (identity blocks, no trained small model), E1 + E2 epochs; each over <see cref="Seeds"/> seeds.
/// </summary>
public sealed record BusExperimentOptions
{
    private readonly int _dModel = 64;
    private readonly int _heads = 1;
    private readonly int _layers = 1;
    private readonly int _ffMultiplier = 4;
    private readonly double _smallEpochs = 4;
    private readonly double _grownEpochs = 6;
    private readonly int _seeds = 3;
    private readonly int _batchSize = 64;
    private readonly double _learningRate = 1e-3;
    private readonly int _sequenceLength = 20;
    private readonly int? _maxWindows;
    private readonly int _evaluationsPerEpoch = 1;

    /// <summary>Task to train.</summary>
    public ExperimentTaskKind Task { get; init; } = ExperimentTaskKind.LetterCounting;

    /// <summary>Width of the large model d (the small model has d/2); even, at least 2.</summary>
    public int DModel { get => _dModel; init => _dModel = value >= 2 && value % 2 == 0 ? value
        : throw new ArgumentOutOfRangeException(nameof(DModel), value, "DModel must be even and at least 2."); }

    /// <summary>Attention heads (must divide d/2).</summary>
    public int Heads { get => _heads; init => _heads = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Heads),
        value, "Heads must be positive."); }

    /// <summary>Transformer blocks.</summary>
    public int Layers { get => _layers; init => _layers = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Layers),
        value, "Layers must be positive."); }

    /// <summary>d_ff = multiplier x d_model.</summary>
    public int FfMultiplier { get => _ffMultiplier; init => _ffMultiplier = value > 0 ? value
        : throw new ArgumentOutOfRangeException(nameof(FfMultiplier), value, "Must be positive."); }

    /// <summary>E1: epochs at d/2 before growth.</summary>
    public double SmallEpochs { get => _smallEpochs; init => _smallEpochs = value > 0 && double.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(nameof(SmallEpochs), value, "Must be positive."); }

    /// <summary>E2: epochs at d after growth.</summary>
    public double GrownEpochs { get => _grownEpochs; init => _grownEpochs = value > 0 && double.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(nameof(GrownEpochs), value, "Must be positive."); }

    /// <summary>Seeds per arm (N).</summary>
    public int Seeds { get => _seeds; init => _seeds = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Seeds),
        value, "Seeds must be positive."); }

    /// <summary>Examples per step.</summary>
    public int BatchSize { get => _batchSize; init => _batchSize = value > 0 ? value
        : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "Batch size must be positive."); }

    /// <summary>Peak learning rate (AdamW, linear warm-up 5%, linear decay to 0 at the run's end).</summary>
    public double LearningRate { get => _learningRate; init => _learningRate = value > 0 && double.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "Must be positive and finite."); }

    /// <summary>Window length (20 in seed 002).</summary>
    public int SequenceLength { get => _sequenceLength; init => _sequenceLength = value > 0 ? value
        : throw new ArgumentOutOfRangeException(nameof(SequenceLength), value, "Must be positive."); }

    /// <summary>Cap on windows taken from the corpus (null: all).</summary>
    public int? MaxWindows { get => _maxWindows; init => _maxWindows = value is null or > 1 ? value
        : throw new ArgumentOutOfRangeException(nameof(MaxWindows), value, "Must be at least 2."); }

    /// <summary>Dev evaluations per epoch (curves resolution).</summary>
    public int EvaluationsPerEpoch { get => _evaluationsPerEpoch; init => _evaluationsPerEpoch = value > 0 ? value
        : throw new ArgumentOutOfRangeException(nameof(EvaluationsPerEpoch), value, "Must be positive."); }

    /// <summary>Growth operator name: "bus-identity" (seed 002) or any registered operator.</summary>
    public string Operator { get; init; } = "bus-identity";

    /// <summary>Run the identity-initialisation control arm.</summary>
    public bool IncludeControl { get; init; } = true;

    /// <summary>Device name.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>First seed (seeds are FirstSeed .. FirstSeed + Seeds - 1).</summary>
    public long FirstSeed { get; init; }
}
