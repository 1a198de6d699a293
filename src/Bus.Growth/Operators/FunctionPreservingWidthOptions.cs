namespace Bus.Growth.Operators;

/// <summary>Options of <see cref="FunctionPreservingWidth"/>; immutable, validated when set.</summary>
public sealed record FunctionPreservingWidthOptions
{
    /// <summary>Defaults: random mapping (Net2WiderNet), no noise (exactly function preserving).</summary>
    public static FunctionPreservingWidthOptions Default { get; } = new();

    /// <summary>How new units choose the old unit they copy (default <see cref="UnitMapping.Random"/>).</summary>
    public UnitMapping Mapping { get; init => field = Guard.Defined(value, nameof(Mapping)); } = UnitMapping.Random;

    /// <summary>
    /// Standard deviation of Gaussian noise added to the weights of new units to break the symmetry between
    /// copies (Net2WiderNet section 2.2); finite and &gt;= 0, default 0 (exact function preservation).
    /// </summary>
    public double NoiseStd { get; init => field = Guard.NonNegative(value, nameof(NoiseStd)); }
}
