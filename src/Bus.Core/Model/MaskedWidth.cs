namespace Bus.Core.Model;

/// <summary>
/// The sizes a model had before masked width growth (MSG, Yao et al., ICLR 2024, sec. 3.2): channels, d_ff units and
/// query heads past these are new and enter behind the mask.
/// </summary>
/// <param name="DModel">Residual-stream channels of the small model.</param>
/// <param name="FeedForwardSize">MLP hidden units of the small model.</param>
/// <param name="Heads">Query heads of the small model (head_dim is kept, so its heads are the first Heads x head_dim features).</param>
public sealed record MaskedWidth(int DModel, int FeedForwardSize, int Heads);
