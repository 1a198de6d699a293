using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.Core.Optimization;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// <see cref="BusTrainerOptions"/> in the mutable form configuration binding needs (bind it from section "Bus", e.g.
/// with <c>services.AddBus(configuration)</c>): the same names, the same defaults (read from
/// <see cref="BusTrainerOptions.Defaults"/>) and the same checks, applied at start-up by <see cref="BusOptionsValidator"/>.
/// <see cref="ToTrainerOptions"/> turns it into the immutable <see cref="BusTrainerOptions"/> the trainers take.
/// Property docs: see the <see cref="BusTrainerOptions"/> property of the same name.
/// Configuration keys are the property names; the earlier keys <c>DFf</c> and <c>StartDFf</c> are accepted as aliases of
/// <see cref="FeedForwardSize"/> and <see cref="StartFeedForwardSize"/> (<see cref="BusConfigurationBinding"/>).
/// </summary>
public sealed class BusOptions
{
    private static readonly BusTrainerOptions D = BusTrainerOptions.Defaults;

    /// <summary>Configuration section conventionally bound to these options.</summary>
    public const string SectionName = "Bus";

    /// <summary>See <see cref="BusTrainerOptions.MaxLength"/>.</summary>
    public int MaxLength { get; set; } = D.MaxLength;

    /// <summary>See <see cref="BusTrainerOptions.DModel"/>.</summary>
    public int DModel { get; set; } = D.DModel;

    /// <summary>See <see cref="BusTrainerOptions.Heads"/>.</summary>
    public int Heads { get; set; } = D.Heads;

    /// <summary>See <see cref="BusTrainerOptions.FeedForwardSize"/>.</summary>
    public int FeedForwardSize { get; set; } = D.FeedForwardSize;

    /// <summary>See <see cref="BusTrainerOptions.Layers"/>.</summary>
    public int Layers { get; set; } = D.Layers;

    /// <summary>See <see cref="BusTrainerOptions.Dropout"/>.</summary>
    public double Dropout { get; set; } = D.Dropout;

    /// <summary>See <see cref="BusTrainerOptions.StartDModel"/>.</summary>
    public int? StartDModel { get; set; } = D.StartDModel;

    /// <summary>See <see cref="BusTrainerOptions.StartFeedForwardSize"/>.</summary>
    public int? StartFeedForwardSize { get; set; } = D.StartFeedForwardSize;

    /// <summary>See <see cref="BusTrainerOptions.StartLayers"/>.</summary>
    public int? StartLayers { get; set; } = D.StartLayers;

    /// <summary>See <see cref="BusTrainerOptions.StartHeads"/>.</summary>
    public int? StartHeads { get; set; } = D.StartHeads;

    /// <summary>See <see cref="BusTrainerOptions.GrowthEpoch"/>.</summary>
    public double GrowthEpoch { get; set; } = D.GrowthEpoch;

    /// <summary>See <see cref="BusTrainerOptions.GrowthOperator"/> (a registered key, case-insensitive).</summary>
    public string GrowthOperator { get; set; } = D.GrowthOperator;

    /// <summary>See <see cref="BusTrainerOptions.Pooling"/>.</summary>
    public SequencePooling Pooling { get; set; } = D.Pooling;

    /// <summary>See <see cref="BusTrainerOptions.Epochs"/>.</summary>
    public double Epochs { get; set; } = D.Epochs;

    /// <summary>See <see cref="BusTrainerOptions.BatchSize"/>.</summary>
    public int BatchSize { get; set; } = D.BatchSize;

    /// <summary>See <see cref="BusTrainerOptions.LearningRate"/>.</summary>
    public double LearningRate { get; set; } = D.LearningRate;

    /// <summary>See <see cref="BusTrainerOptions.WeightDecay"/>.</summary>
    public double WeightDecay { get; set; } = D.WeightDecay;

    /// <summary>See <see cref="BusTrainerOptions.GradientClip"/>.</summary>
    public double GradientClip { get; set; } = D.GradientClip;

    /// <summary>See <see cref="BusTrainerOptions.WarmupFraction"/>.</summary>
    public double WarmupFraction { get; set; } = D.WarmupFraction;

    /// <summary>See <see cref="BusTrainerOptions.Schedule"/> (Linear, Cosine, WarmupStableDecay or Constant).</summary>
    public DecayShape Schedule { get; set; } = D.Schedule;

    /// <summary>See <see cref="BusTrainerOptions.DecayFraction"/>.</summary>
    public double DecayFraction { get; set; } = D.DecayFraction;

    /// <summary>See <see cref="BusTrainerOptions.AccumulationSteps"/>.</summary>
    public int AccumulationSteps { get; set; } = D.AccumulationSteps;

    /// <summary>See <see cref="BusTrainerOptions.Threads"/>.</summary>
    public int? Threads { get; set; } = D.Threads;

    /// <summary>See <see cref="BusTrainerOptions.EvaluationsPerEpoch"/>.</summary>
    public int EvaluationsPerEpoch { get; set; } = D.EvaluationsPerEpoch;

    /// <summary>See <see cref="BusTrainerOptions.Optimizer"/> (a registered key, case-insensitive).</summary>
    public string Optimizer { get; set; } = D.Optimizer;

    /// <summary>See <see cref="BusTrainerOptions.Selector"/> (a registered key, case-insensitive).</summary>
    public string? Selector { get; set; } = D.Selector;

    /// <summary>See <see cref="BusTrainerOptions.Seed"/>.</summary>
    public long Seed { get; set; } = D.Seed;

    /// <summary>See <see cref="BusTrainerOptions.Device"/>.</summary>
    public string Device { get; set; } = D.Device;

    /// <summary>See <see cref="BusTrainerOptions.Precision"/> (configuration: "Fp32", "Bf16" or "Fp16", case-insensitive).</summary>
    public Precision Precision { get; set; } = D.Precision;

    /// <summary>See <see cref="BusTrainerOptions.Recompute"/>.</summary>
    public bool Recompute { get; set; } = D.Recompute;

    /// <summary>See <see cref="BusTrainerOptions.ValidationFraction"/>.</summary>
    public double ValidationFraction { get; set; } = D.ValidationFraction;

    /// <summary>The equivalent <see cref="BusTrainerOptions"/> (validated).</summary>
    /// <exception cref="ArgumentException">A value is out of range (the parameter name is the option's name).</exception>
    public BusTrainerOptions ToTrainerOptions() => new BusTrainerOptions
    {
        MaxLength = MaxLength, DModel = DModel, Heads = Heads, FeedForwardSize = FeedForwardSize, Layers = Layers, Dropout = Dropout,
        StartDModel = StartDModel, StartFeedForwardSize = StartFeedForwardSize, StartLayers = StartLayers, StartHeads = StartHeads,
        GrowthEpoch = GrowthEpoch,
        GrowthOperator = GrowthOperator, Pooling = Pooling, Epochs = Epochs, BatchSize = BatchSize, LearningRate = LearningRate,
        WeightDecay = WeightDecay, GradientClip = GradientClip, WarmupFraction = WarmupFraction, EvaluationsPerEpoch = EvaluationsPerEpoch,
        Optimizer = Optimizer, Selector = Selector, Seed = Seed, Device = Device, ValidationFraction = ValidationFraction,
        Precision = Precision, Recompute = Recompute,
        Schedule = Schedule, DecayFraction = DecayFraction, AccumulationSteps = AccumulationSteps, Threads = Threads,
    }.Validate();
}
