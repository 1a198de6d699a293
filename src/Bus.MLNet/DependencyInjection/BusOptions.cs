namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Configuration of Bus for dependency injection (bind it from configuration section "Bus"): the names of the
/// components to use and the training settings. Validated at startup by <see cref="BusOptionsValidator"/>;
/// <see cref="ToTrainerOptions"/> turns it into the immutable <see cref="BusTrainerOptions"/>.
/// </summary>
public sealed class BusOptions
{
    /// <summary>Configuration section conventionally bound to these options.</summary>
    public const string SectionName = "Bus";

    /// <summary>Key of a registered growth operator. Default "bus-identity".</summary>
    public string GrowthOperator { get; set; } = "bus-identity";

    /// <summary>Key of a registered optimizer factory. Default "adamw".</summary>
    public string Optimizer { get; set; } = "adamw";

    /// <summary>Key of a registered batch-selector factory; null uses uniform batches.</summary>
    public string? Selector { get; set; }

    /// <summary>TorchSharp device name. Default "cpu".</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Seed. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Peak learning rate, positive. Default 3e-3.</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>Training epochs, positive. Default 3.</summary>
    public double Epochs { get; set; } = 3;

    /// <summary>Batch size, positive. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Characters per example, in [1, 1024]. Default 32.</summary>
    public int MaxLength { get; set; } = 32;

    /// <summary>Final d_model, positive. Default 32.</summary>
    public int DModel { get; set; } = 32;

    /// <summary>Attention heads dividing d_model. Default 2.</summary>
    public int Heads { get; set; } = 2;

    /// <summary>Final d_ff, positive. Default 64.</summary>
    public int DFf { get; set; } = 64;

    /// <summary>Transformer blocks, positive. Default 1.</summary>
    public int Layers { get; set; } = 1;

    /// <summary>Start d_model for growth; null trains without growth.</summary>
    public int? StartDModel { get; set; }

    /// <summary>Epochs before growing. Default 1.</summary>
    public double GrowthEpoch { get; set; } = 1;

    /// <summary>The equivalent <see cref="BusTrainerOptions"/> (validated).</summary>
    /// <exception cref="ArgumentException">A value is out of range (the parameter name is the option's name).</exception>
    public BusTrainerOptions ToTrainerOptions() => new BusTrainerOptions
    {
        GrowthOperator = GrowthOperator, Optimizer = Optimizer, Selector = Selector, Device = Device, Seed = Seed,
        LearningRate = LearningRate, Epochs = Epochs, BatchSize = BatchSize, MaxLength = MaxLength, DModel = DModel,
        Heads = Heads, DFf = DFf, Layers = Layers, StartDModel = StartDModel, GrowthEpoch = GrowthEpoch,
    }.Validate();
}
