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
