namespace Bus.Growth.Operators;

/// <summary>
/// Depth growth by interpolation (Chang et al., "Multi-level Residual Networks from Dynamical Systems View",
/// ICLR 2018, sec. 3; the "interpolation" depth baseline of LiGO, Wang et al., ICLR 2023): every trained block is
/// duplicated in place, grown block l' = block floor(l' / k) with k = L'/L (e.g. 2 -> 4: blocks 0,0,1,1).
/// </summary>
public sealed class InterpolationDepthGrowth : DepthGrowth
{
    /// <inheritdoc />
    public override string Name => "interpolate-depth";

    /// <inheritdoc />
    public override int? SourceBlock(int targetLayer, int sourceLayers, int targetLayers) => targetLayer / (targetLayers / sourceLayers);

    /// <inheritdoc />
    public override void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        base.Validate(layout, from, to);
        RequireMultiple(from, to);
    }
}
