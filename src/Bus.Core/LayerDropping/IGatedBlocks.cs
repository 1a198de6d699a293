namespace Bus.Core.LayerDropping;

/// <summary>
/// A list of residual blocks that layer dropping may gate: <see cref="GatedResidualBlocks"/>, or any module of
/// your own. Layer-dropping algorithms find it inside the trained module (the module itself, or one of its
/// sub-modules) when the module is not a <see cref="GrowableTransformer"/>.
/// </summary>
public interface IGatedBlocks
{
    /// <summary>Number of blocks the gate decides over.</summary>
    int BlockCount { get; }

    /// <summary>The gate consulted in training mode (null: every block runs unscaled).</summary>
    ILayerGate? LayerGate { get; set; }

    /// <summary>Blocks that ran in the last training forward pass (charged to the budget).</summary>
    int LastActiveBlocks { get; }
}
