using Bus.Core.Growth;
using Bus.Core.Model;

namespace Bus.Growth.Operators;

/// <summary>
/// A growth operator whose new structure enters behind a <see cref="GrowthMask"/> (MSG, Yao et al., ICLR 2024): its
/// <see cref="IGrowthOperator.Grow"/> returns the grown model with the mask installed at m = 0, and a growth schedule
/// ramps the mask to 1 by <see cref="Ramp"/> and then removes it.
/// </summary>
public interface IMaskedGrowthOperator : IGrowthOperator
{
    /// <summary>How the mask rises after growth.</summary>
    MaskRamp Ramp { get; }

    /// <summary>The mask of growing <paramref name="source"/> to <paramref name="target"/>, at m = 0 (also used to reinstall it after a resume).</summary>
    GrowthMask CreateMask(TransformerConfig source, TransformerConfig target);
}
