namespace Bus.Core.LayerDropping;

/// <summary>
/// Decides, for one training forward pass, which blocks run and how their residual branches are scaled
/// (used by layer dropping). Ignored in evaluation mode, where every block runs unscaled.
/// </summary>
public interface ILayerGate
{
    /// <summary>
    /// Returns 0 to skip block <paramref name="layer"/> (0-based) for this pass, otherwise the scale applied
    /// to its residual branches (1 for plain execution, 1/p for inverse-probability scaling).
    /// </summary>
    double ResidualScale(int layer, int layerCount);
}
