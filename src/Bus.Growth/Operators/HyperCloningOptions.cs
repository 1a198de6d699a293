namespace Bus.Growth.Operators;

/// <summary>Options of <see cref="HyperCloning"/>; immutable, validated when set.</summary>
public sealed record HyperCloningOptions
{
    /// <summary>Defaults: no noise.</summary>
    public static HyperCloningOptions Default { get; } = new();

    /// <summary>
    /// Standard deviation of the zero-sum noise added across the clones of every read (input) axis; finite and &gt;= 0,
    /// default 0. The noise of the clones of one unit sums to zero, so the grown model stays exactly function preserving
    /// while the clones' weights differ.
    /// </summary>
    public double NoiseStd { get; init => field = Guard.NonNegative(value, nameof(NoiseStd)); }
}
