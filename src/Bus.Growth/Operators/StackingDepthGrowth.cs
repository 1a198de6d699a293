namespace Bus.Growth.Operators;

/// <summary>
/// Progressive stacking (StackBERT, Gong et al., ICML 2019, sec. 3.2; G_stack, Du et al., NeurIPS 2024):
/// the L trained blocks are copied k times on top of each other, grown block l' = block (l' mod L),
/// so target layers = k * L (e.g. 2 -> 4: blocks 0,1,0,1).
/// </summary>
public sealed class StackingDepthGrowth : DepthGrowth
{
    /// <inheritdoc />
    public override string Name => "stack-depth";

    /// <inheritdoc />
    public override int? SourceBlock(int targetLayer, int sourceLayers, int targetLayers) => targetLayer % sourceLayers;

    /// <inheritdoc />
    public override void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        base.Validate(layout, from, to);
        RequireMultiple(from, to);
    }
}
