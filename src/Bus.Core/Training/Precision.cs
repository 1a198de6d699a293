namespace Bus.Core.Training;

/// <summary>
/// The floating-point format of the forward and backward passes (<see cref="TrainerOptions.Precision"/>). The model's
/// own parameters (the master weights), the optimizer state, the loss and evaluation stay in fp32 in every mode.
/// </summary>
public enum Precision
{
    /// <summary>Everything in fp32 (the default).</summary>
    Fp32,

    /// <summary>bfloat16 compute copy (8-bit exponent: fp32's range, no loss scaling needed).</summary>
    Bf16,

    /// <summary>float16 compute copy with dynamic loss scaling (<see cref="DynamicLossScaler"/>).</summary>
    Fp16,
}

/// <summary>Names and dtypes of <see cref="Precision"/>.</summary>
public static class Precisions
{
    /// <summary>The names accepted by <see cref="Parse"/> (and <c>bus train --precision</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = ["fp32", "bf16", "fp16"];

    /// <summary>Parses "fp32", "bf16" or "fp16" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Another name; the message lists the known ones.</exception>
    public static Precision Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "fp32" => Precision.Fp32,
        "bf16" => Precision.Bf16,
        "fp16" => Precision.Fp16,
        _ => throw new ArgumentException($"Unknown precision '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The lower-case name of <paramref name="precision"/> ("bf16").</summary>
    public static string Name(this Precision precision) => precision.ToString().ToLowerInvariant();

    /// <summary>The TorchSharp dtype of the compute copy: Float32, BFloat16 or Float16.</summary>
    public static ScalarType DType(this Precision precision) => precision switch
    {
        Precision.Fp32 => ScalarType.Float32,
        Precision.Bf16 => ScalarType.BFloat16,
        Precision.Fp16 => ScalarType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };
}
