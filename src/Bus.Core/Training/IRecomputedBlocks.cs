using Bus.Core.LayerDropping;

namespace Bus.Core.Training;

/// <summary>
/// A module whose residual blocks can run with activation recompute (<see cref="ActivationRecompute"/>): in a training
/// forward pass with gradients enabled, each block keeps only its input, and its activations are recomputed during
/// the backward pass. <see cref="Model.GrowableTransformer"/> and <see cref="GatedResidualBlocks"/> implement it;
/// <see cref="TrainerOptions.Recompute"/> switches it on for every such module inside the trained one.
/// </summary>
public interface IRecomputedBlocks
{
    /// <summary>True: blocks run through <see cref="ActivationRecompute.Run"/> in training mode; false (default): plain autograd.</summary>
    bool Recompute { get; set; }
}
