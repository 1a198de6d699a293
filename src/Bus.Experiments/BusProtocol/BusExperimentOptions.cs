using System.Text.Json.Serialization;

namespace Bus.Experiments.BusProtocol;

/// <summary>
/// Seed 002's protocol: train at d/2 for <see cref="SmallEpochs"/> (E1), grow to d, train <see cref="GrownEpochs"/>
/// (E2); baseline: d from scratch for E1 + E2 epochs; control: d initialised by the growth operator from an
/// UNTRAINED d/2 model (identity blocks, no trained small model), E1 + E2 epochs; each over <see cref="Seeds"/> seeds.
/// </summary>
public sealed record BusExperimentOptions
{
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

    /// <summary>
    /// The large model (d): width (even; the small model has d/2 and d_ff/2), depth, heads (dividing d/2) and family. The task
    /// sets its vocabulary, output classes, mode and length (<see cref="SequenceLength"/>); see <see cref="BusExperiment.Configs"/>.
    /// </summary>
    public TransformerConfig Model
    {
        get; init => field = FullModel.Require(value, nameof(Model));
    } = new() { DModel = 64, Layers = 1, Heads = 1, FeedForwardSize = 256 };

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

    // Files written before Model existed (results.json) hold the shape in four flat keys: they still load.
    [JsonInclude, JsonPropertyName("DModel"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyDModel { get => null; init => Model = FullModel.WithLegacy(Model, value, null, null, null); }

    [JsonInclude, JsonPropertyName("Heads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyHeads { get => null; init => Model = FullModel.WithLegacy(Model, null, null, value, null); }

    [JsonInclude, JsonPropertyName("Layers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyLayers { get => null; init => Model = FullModel.WithLegacy(Model, null, value, null, null); }

    [JsonInclude, JsonPropertyName("FfMultiplier"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyFfMultiplier { get => null; init => Model = FullModel.WithLegacy(Model, null, null, null, value); }
}
