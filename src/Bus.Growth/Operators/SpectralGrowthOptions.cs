namespace Bus.Growth.Operators;

/// <summary>Options of <see cref="SpectralGrowth"/>; immutable, validated when set.</summary>
public sealed record SpectralGrowthOptions
{
    /// <summary>Defaults: new directions get 0.1 x the smallest trained singular value.</summary>
    public static SpectralGrowthOptions Default { get; } = new();

    /// <summary>
    /// Singular value of every new direction; null (default) uses <see cref="NewSingularValueFactor"/> times the
    /// matrix's smallest trained singular value. Finite and &gt;= 0 when set.
    /// </summary>
    public double? NewSingularValue { get; init => field = value is { } v ? Guard.NonNegative(v, nameof(NewSingularValue)) : null; }

    /// <summary>
    /// Factor applied to the smallest trained singular value when <see cref="NewSingularValue"/> is null; in [0, 1]
    /// (default 0.1) so that the trained spectrum stays the top of the grown one.
    /// </summary>
    public double NewSingularValueFactor { get; init => field = Guard.InRange(value, 0, 1, nameof(NewSingularValueFactor)); } = 0.1;
}
