namespace Bus.Core.Training;

/// <summary>
/// A per-step algorithm or callback plugged into the trainer without editing its loop (growth schedules,
/// layer dropping, logging, checkpointing). Composer-style events, plus a declared contract: the trainer
/// refuses, at construction, two algorithms holding the same exclusive <see cref="AlgorithmTraits"/> (so
/// conflicts never surface mid-run). Events run in list order;
/// <see cref="TrainingEvent.StepEnd"/> and <see cref="TrainingEvent.FitEnd"/> run in reverse (first in, last out).
/// </summary>
public interface ITrainingAlgorithm
{
    /// <summary>Name used in logs and conflict messages.</summary>
    string Name { get; }

    /// <summary>What this algorithm changes.</summary>
    AlgorithmTraits Traits { get; }

    /// <summary>Called at each event; may read and change <paramref name="state"/> within its declared traits.</summary>
    void OnEvent(TrainingEvent trainingEvent, TrainingState state);
}

/// <summary>Base class with no traits; override what you need.</summary>
public abstract class TrainingCallback : ITrainingAlgorithm
{
    /// <inheritdoc />
    public virtual string Name => GetType().Name;

    /// <inheritdoc />
    public virtual AlgorithmTraits Traits => AlgorithmTraits.None;

    /// <inheritdoc />
    public abstract void OnEvent(TrainingEvent trainingEvent, TrainingState state);
}
