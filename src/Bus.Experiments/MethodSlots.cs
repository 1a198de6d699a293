namespace Bus.Experiments;

/// <summary>
/// The parts of a training run a method takes over. Each slot holds at most one method, so a combination
/// such as two growth methods, two layer gates, two optimizers or two batch selectors is refused when the
/// combination is constructed (the trainer refuses the same for algorithms through their AlgorithmTraits).
/// </summary>
[Flags]
public enum MethodSlots
{
    /// <summary>Changes nothing (the baseline).</summary>
    None = 0,
    /// <summary>Chooses the initial model and replaces it during training (growth).</summary>
    Growth = 1,
    /// <summary>Gates the model's layers (layer dropping).</summary>
    LayerGate = 2,
    /// <summary>Replaces the optimizer (Lion).</summary>
    Optimizer = 4,
    /// <summary>Chooses the examples each step back-propagates (RHO-LOSS, selective backprop).</summary>
    BatchSelection = 8,
}
