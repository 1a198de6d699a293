namespace Bus.Growth.Operators;

/// <summary>How <see cref="MsgDepthGrowth"/> initialises its new blocks (any choice is function preserving at m = 0).</summary>
public enum MsgBlockInit
{
    /// <summary>New block l' copies trained block l' mod L (stacking order, as G_stack).</summary>
    Copy,

    /// <summary>New blocks get the fresh initialisation of their parameter kinds (normal(0, 0.02), zero biases, unit gains).</summary>
    Fresh,
}

/// <summary>Options of <see cref="MsgDepthGrowth"/>; immutable, validated when set.</summary>
public sealed record MsgDepthOptions
{
    /// <summary>Defaults: copied blocks, a ramp over 10% of the budget.</summary>
    public static MsgDepthOptions Default { get; } = new();

    /// <summary>How the mask rises after growth; default <see cref="MaskRamp.Default"/> (10% of the budget).</summary>
    public MaskRamp Ramp { get; init => field = value ?? throw new ArgumentNullException(nameof(Ramp)); } = MaskRamp.Default;

    /// <summary>How the new blocks are initialised; default <see cref="MsgBlockInit.Copy"/>.</summary>
    public MsgBlockInit Init { get; init => field = Bus.Core.Guard.Defined(value, nameof(Init)); } = MsgBlockInit.Copy;
}
