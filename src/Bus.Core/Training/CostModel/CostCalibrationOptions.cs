namespace Bus.Core.Training.CostModel;

/// <summary>Options of <see cref="CostTableCalibrator"/>: an immutable record with validated defaults.</summary>
public sealed record CostCalibrationOptions
{
    private readonly string _device = "cpu";

    /// <summary>Untimed runs before the timed repeats of each entry.</summary>
    public int Warmup { get; init => field = Guard.NonNegative(value, nameof(Warmup)); } = 2;

    /// <summary>Device to measure ("cpu", "cuda", "cuda:N").</summary>
    public string Device
    {
        get => _device;
        init => _device = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("Device must be named, e.g. \"cpu\".", nameof(Device))
            : value;
    }

    /// <summary>Tokens per example; defaults to the config's MaxLength.</summary>
    public int? SequenceLength { get; init => field = value is { } n ? Guard.Positive(n, nameof(SequenceLength)) : null; }

    /// <summary>Also measure forward-only (no-grad scoring) passes, which batch selection is charged for.</summary>
    public bool IncludeForwardOnly { get; init; } = true;

    /// <summary>Throw <see cref="InvalidDataException"/> when a measured cost falls as layers or batch size grow.</summary>
    public bool RequireMonotone { get; init; } = true;

    /// <summary>Gradient clipping applied in timed steps (the trainer's default is 1).</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>Seed of the random weights and tokens.</summary>
    public long Seed { get; init; }
}
