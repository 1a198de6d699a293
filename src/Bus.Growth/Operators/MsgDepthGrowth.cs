namespace Bus.Growth.Operators;

/// <summary>
/// Masked structural growth in depth (MSG, Yao et al., ICLR 2024, sec. 3.2, layer growth): the L trained blocks keep
/// their places at the bottom, the L' - L new blocks go on top, and every new block's residual branches are multiplied
/// by a mask m (x + m f(x), <see cref="GrowthMask"/>) that a growth schedule ramps from 0 to 1 (<see cref="MaskRamp"/>).
/// At m = 0 the grown model computes exactly what the small one did for any initialisation of the new blocks:
/// copies of the trained blocks in stacking order (<see cref="MsgBlockInit.Copy"/>, the default) or fresh ones.
/// New blocks start with a fresh optimizer state under moment mapping (their gradients are scaled by m); trained
/// blocks keep theirs. The named-tensor <c>Grow</c> returns the weights only; <see cref="ModelGrowth"/> and
/// <c>GrowthSchedule</c> install <see cref="CreateMask"/> on a <see cref="GrowableTransformer"/>.
/// </summary>
/// <param name="options">Ramp and initialisation; <see cref="MsgDepthOptions.Default"/> when null.</param>
public sealed class MsgDepthGrowth(MsgDepthOptions? options = null) : DepthGrowth, IMaskedGrowthOperator
{
    /// <summary>The options in force.</summary>
    public MsgDepthOptions Options { get; } = options ?? MsgDepthOptions.Default;

    /// <inheritdoc />
    public override string Name => Options.Init == MsgBlockInit.Copy ? "msg-depth" : "msg-depth-fresh";

    /// <inheritdoc />
    public MaskRamp Ramp => Options.Ramp;

    /// <inheritdoc />
    public override int? SourceBlock(int targetLayer, int sourceLayers, int targetLayers) =>
        targetLayer < sourceLayers || Options.Init == MsgBlockInit.Copy ? targetLayer % sourceLayers : null;

    /// <summary>Trained blocks keep their moments; new (masked) blocks start fresh.</summary>
    public override int? MomentSourceBlock(int targetLayer, int sourceLayers, int targetLayers) =>
        targetLayer < sourceLayers ? targetLayer : null;

    /// <inheritdoc />
    public override void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        base.Validate(layout, from, to);
        if (to.Layers <= from.Layers)
            throw new ArgumentException($"Masked depth growth must add blocks: source {from.Layers} layers, target {to.Layers}.",
                nameof(TransformerConfig.Layers));
    }

    /// <inheritdoc />
    public GrowthMask CreateMask(TransformerConfig source, TransformerConfig target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        return new GrowthMask(Enumerable.Range(source.Layers, target.Layers - source.Layers));
    }
}
