namespace Bus.Cli.Infrastructure;

/// <summary>
/// Limits checked before any native allocation, so an absurd size (<c>--d 1000000</c>) is a clear user error instead of
/// a native allocation failure deep inside TorchSharp.
/// </summary>
internal static class ModelSizeLimits
{
    /// <summary>Largest model width accepted (d_ff = 4 d must stay a 32-bit size).</summary>
    public const int MaxWidth = 65_536;

    /// <summary>Largest number of transformer blocks accepted.</summary>
    public const int MaxLayers = 4_096;

    /// <summary>Largest number of attention heads accepted (heads divide the width, so never more than <see cref="MaxWidth"/>).</summary>
    public const int MaxHeads = MaxWidth;

    /// <summary>Largest window (tokens per example, <c>--context</c>) accepted.</summary>
    public const int MaxContext = 65_536;

    /// <summary>Largest batch (examples per step) accepted; also the bound on dev examples per evaluation.</summary>
    public const int MaxBatch = 65_536;

    /// <summary>Largest number of optimizer steps (a budget, a measured block, a soak run) accepted.</summary>
    public const long MaxSteps = 1_000_000_000;

    /// <summary>Largest number of seeds per arm accepted.</summary>
    public const int MaxSeeds = 1_000;

    /// <summary>Largest number of timed repetitions or measured blocks of a benchmark accepted.</summary>
    public const int MaxRepeats = 10_000;

    /// <summary>Largest number of timed steps of a benchmark accepted (each is kept for the median).</summary>
    public const int MaxBenchmarkSteps = 1_000_000;

    /// <summary>Largest number of epochs of one training phase accepted.</summary>
    public const double MaxEpochs = 100_000;

    /// <summary>
    /// Largest peak learning rate accepted: TorchSharp's optimizers pass lr (divided by bias corrections as small as
    /// 1 - 0.9 = 0.1) to float kernels, which refuse scalars that overflow float32.
    /// </summary>
    public const double MaxLearningRate = 1e6;

    /// <summary>Bytes per parameter during training: weights, gradients and up to two optimizer moments (float32).</summary>
    private const double BytesPerParameter = 16;

    /// <summary>
    /// Requires <paramref name="value"/> of <paramref name="option"/> to be in <paramref name="min"/>..<paramref name="max"/>
    /// (1.. unless the option gives 0 a meaning).
    /// </summary>
    public static void RequireSize(string option, long value, long max, long min = 1)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(option, value, string.Create(CultureInfo.InvariantCulture,
                $"{option} {value}: must lie in {min}..{max}."));
    }

    /// <summary>
    /// Requires <paramref name="value"/> of <paramref name="option"/>
    /// to be positive, finite and at most <paramref name="max"/>.
    /// </summary>
    public static void RequireAmount(string option, double value, double max)
    {
        if (!(double.IsFinite(value) && value > 0 && value <= max))
            throw new ArgumentOutOfRangeException(option, value,
                string.Create(CultureInfo.InvariantCulture, $"{option} {value}: must be positive, finite and at most {max:G}."));
    }

    /// <summary>Requires a positive, finite learning rate no larger than <see cref="MaxLearningRate"/>.</summary>
    public static void RequireLearningRate(string option, double value) => RequireAmount(option, value, MaxLearningRate);

    /// <summary>
    /// Requires the model of <paramref name="config"/> (weights, gradients, optimizer moments) to fit in the memory
    /// this process may use; <paramref name="option"/> and <paramref name="value"/> name the size the user chose.
    /// </summary>
    public static void RequireFitsInMemory(string option, object value, TransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        double d = config.DModel, ff = config.FeedForwardSize;
        double parameters = (double)config.VocabSize * d + (double)config.MaxLength * d
            + config.Layers * (4 * d * d + 2 * d * ff + 9 * d + ff) + d * config.OutputSize;
        RequireFitsInMemory(option, value, parameters);
    }

    /// <summary>
    /// Requires <paramref name="parameters"/> trainable float32 parameters (with gradients and up to two optimizer
    /// moments) to fit in the memory this process may use; <paramref name="option"/> and <paramref name="value"/> name the
    /// size the user chose. Models that are not a <see cref="TransformerConfig"/> (a benchmark's stack of layers) count theirs.
    /// </summary>
    public static void RequireFitsInMemory(string option, object value, double parameters)
    {
        double needed = parameters * BytesPerParameter;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
            throw new ArgumentOutOfRangeException(option, value, string.Create(CultureInfo.InvariantCulture,
                $"{option} {value}: the model has about {parameters:E2} parameters and needs about {needed / (1 << 30):F1} GiB for "
                    + $"weights, gradients and optimizer state; {available / (double)(1 << 30):F1} GiB is available."));
    }
}
