namespace Bus.Core.Training;

/// <summary>Points in the training loop where <see cref="ITrainingAlgorithm"/>s run.</summary>
public enum TrainingEvent
{
    /// <summary>Once, before the first step (model and optimizer exist).</summary>
    FitStart,
    /// <summary>Before each step's batch is drawn (e.g. layer dropping samples its gates here).</summary>
    StepStart,
    /// <summary>After each optimizer step and budget charge (e.g. growth schedules act here).</summary>
    StepEnd,
    /// <summary>After each dev-set evaluation (the new record is the last of <see cref="TrainingState.History"/>).</summary>
    Evaluated,
    /// <summary>When a pass over the training set completes.</summary>
    EpochEnd,
    /// <summary>Once, after the last step (also after cancellation).</summary>
    FitEnd,
}

/// <summary>What an algorithm changes; at most one algorithm of a run may hold each exclusive trait.</summary>
[Flags]
public enum AlgorithmTraits
{
    /// <summary>Observes only (callbacks, loggers).</summary>
    None = 0,
    /// <summary>Replaces the model (growth). Exclusive.</summary>
    ReplacesModel = 1,
    /// <summary>Sets the model's layer gate (layer dropping). Exclusive.</summary>
    GatesLayers = 2,
    /// <summary>Changes the optimizer or its state. Exclusive.</summary>
    ChangesOptimizer = 4,
}
