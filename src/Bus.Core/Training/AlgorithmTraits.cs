namespace Bus.Core.Training;

/// <summary>
/// What an algorithm or method takes over in a run; at most one of a run may hold each exclusive trait. The
/// trainer refuses two <see cref="ITrainingAlgorithm"/>s holding the same trait, and Bus.Experiments refuses a
/// combination of methods that do (see <see cref="ExclusiveTraits"/>).
/// </summary>
[Flags]
public enum AlgorithmTraits
{
    /// <summary>Observes only (callbacks, loggers, the baseline).</summary>
    None = 0,
    /// <summary>Replaces the model (growth). Exclusive; its slot is "Growth".</summary>
    ReplacesModel = 1,
    /// <summary>Sets the model's layer gate (layer dropping). Exclusive; its slot is "LayerGate".</summary>
    GatesLayers = 2,
    /// <summary>Replaces the optimizer or its state (Lion). Exclusive; its slot is "Optimizer".</summary>
    ChangesOptimizer = 4,
    /// <summary>Chooses the examples each step back-propagates (RHO-LOSS, selective backprop). Exclusive; its slot is
    /// "BatchSelection".</summary>
    SelectsBatches = 8,
    /// <summary>Scales the scheduled learning rate (<see cref="TrainingState.LearningRateScale"/>, e.g. re-warm-up after growth).
    /// Exclusive; its slot is "LearningRateScale".</summary>
    ScalesLearningRate = 16,
}
