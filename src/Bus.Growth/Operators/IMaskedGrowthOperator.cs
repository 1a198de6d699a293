namespace Bus.Growth.Operators;

/// <summary>
/// A growth operator whose new structure enters behind a <see cref="GrowthMask"/> (MSG, Yao et al., ICLR 2024), a feature of
/// <see cref="GrowableTransformer"/>: <see cref="ModelGrowth"/> installs the mask at m = 0 on the grown transformer, and a
/// growth schedule ramps it to 1 by <see cref="Ramp"/> and then removes it. The only add-on to the <see cref="IGrowthOperator"/> contract.
/// </summary>
public interface IMaskedGrowthOperator : IGrowthOperator
{
    /// <summary>How the mask rises after growth.</summary>
    MaskRamp Ramp { get; }

    /// <summary>
    /// The mask of growing <paramref name="source"/> to <paramref name="target"/> (a validated pair), at m = 0 (also used to
    /// reinstall it after a resume).
    /// </summary>
    GrowthMask CreateMask(TransformerConfig source, TransformerConfig target);
}
