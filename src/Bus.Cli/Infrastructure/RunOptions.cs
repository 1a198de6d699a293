namespace Bus.Cli.Infrastructure;

/// <summary>
/// The options of a training or benchmark run that several commands share, each defined once here: <c>--batch</c>,
/// <c>--lr</c>, <c>--seed</c>, <c>--device</c> and <c>--threads</c>. A command chooses its default (and, where it means
/// something more, its description); the name, the range and the error message are the same everywhere.
/// </summary>
internal static class RunOptions
{
    /// <summary><c>--batch</c>: examples per step, 1..<see cref="ModelSizeLimits.MaxBatch"/>.</summary>
    public static Option<int> Batch(int defaultValue, string? description = null) => new("--batch")
    {
        Description = description ?? $"batch size, 1..{ModelSizeLimits.MaxBatch}",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary><c>--lr</c>: the peak learning rate (positive, finite, at most <see cref="ModelSizeLimits.MaxLearningRate"/>).</summary>
    public static Option<double> LearningRate(double defaultValue, string description = "peak learning rate") => new("--lr")
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary><c>--seed</c>: the run's seed.</summary>
    public static Option<long> Seed(long defaultValue, string description) => new("--seed")
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary><c>--device</c>: "cpu" (default), "cuda" or "cuda:N".</summary>
    public static Option<string> Device() => new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };

    /// <summary><c>--threads</c> with no default: TorchSharp's choice unless given (1..the processor count).</summary>
    public static Option<int?> Threads() => new("--threads")
    {
        Description = "CPU threads for TorchSharp, 1..the processor count (default: TorchSharp's choice)",
    };

    /// <summary><c>--threads</c> with a default; <paramref name="zeroMeansDefault"/>: 0 lets TorchSharp choose.</summary>
    public static Option<int> Threads(int defaultValue, bool zeroMeansDefault) => new("--threads")
    {
        Description = zeroMeansDefault
            ? "torch intra-op threads, 0 (torch's default) or 1..the processor count"
            : "CPU threads for TorchSharp, 1..the processor count",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>
    /// An option with its help line and default in one expression: how the commands declare the options that are
    /// theirs alone (the shared ones are the factories above and <see cref="ModelShapeOptions"/>).
    /// </summary>
    public static Option<T> Create<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>The value of a size option, checked to lie in 1..<paramref name="max"/> (the error names the option).</summary>
    public static int Size(this ParseResult parse, Option<int> option, long max)
    {
        int value = parse.GetValue(option);
        ModelSizeLimits.RequireSize(option.Name, value, max);
        return value;
    }

    /// <summary>The value of <c>--batch</c>, checked.</summary>
    public static int Batch(this ParseResult parse, Option<int> batch) => parse.Size(batch, ModelSizeLimits.MaxBatch);

    /// <summary>The value of <c>--lr</c>, checked.</summary>
    public static double LearningRate(this ParseResult parse, Option<double> lr)
    {
        double value = parse.GetValue(lr);
        ModelSizeLimits.RequireLearningRate(lr.Name, value);
        return value;
    }
}
