namespace Bus.Growth.Operators;

/// <summary>Where <see cref="FunctionPreservingDepth"/> puts the new blocks.</summary>
public enum DepthPlacement
{
    /// <summary>All new blocks above the trained ones.</summary>
    Top,

    /// <summary>New blocks spread between the trained ones: trained block l moves to floor(l * L' / L).</summary>
    Interleave,
}

/// <summary>
/// Function-preserving depth growth (Net2DeeperNet, Chen et al., ICLR 2016, sec. 2.3, in its pre-LN transformer
/// form, e.g. Shen et al. 2022 and bert2BERT's zero-initialised blocks): new blocks keep their fresh initialisation
/// except their residual-writing parameters (<see cref="ParameterRule.WritesResidual"/>: attn.o and mlp.fc2 / mlp.down,
/// weights and biases), which are zero. With pre-LN
/// residuals h = x + Attn(LN1(x)), y = h + MLP(LN2(h)) such a block is the identity map, so the grown model computes
/// exactly what the small one did; gradients still reach the new blocks through o and fc2.
/// </summary>
/// <param name="placement">Where the new blocks go (default <see cref="DepthPlacement.Top"/>).</param>
public sealed class FunctionPreservingDepth(DepthPlacement placement = DepthPlacement.Top) : DepthGrowth
{
    /// <summary>Where the new blocks go.</summary>
    public DepthPlacement Placement { get; } = Enum.IsDefined(placement) ? placement
        : throw new ArgumentOutOfRangeException(nameof(placement), placement, "Unknown placement.");

    /// <inheritdoc />
    public override string Name => Placement == DepthPlacement.Top ? "fpi-depth-top" : "fpi-depth-interleave";

    /// <inheritdoc />
    public override int? SourceBlock(int targetLayer, int sourceLayers, int targetLayers)
    {
        if (Placement == DepthPlacement.Top) return targetLayer < sourceLayers ? targetLayer : null;
        for (int l = 0; l < sourceLayers; l++)
            if ((long)l * targetLayers / sourceLayers == targetLayer) return l;
        return null;
    }

    /// <summary>Zeroes the residual-writing parameters of the layout: the new block adds nothing to the residual stream.</summary>
    protected override void InitialiseNew(ParameterRule rule, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(parameter);
        if (rule.WritesResidual) parameter.zero_();
    }
}
