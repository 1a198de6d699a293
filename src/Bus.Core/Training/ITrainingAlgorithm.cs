namespace Bus.Core.Training;

/// <summary>
/// A per-step algorithm or callback plugged into the trainer without editing its loop (growth schedules,
/// layer dropping, logging, checkpointing). Composer-style events, plus a declared contract: the trainer
/// refuses, at construction, two algorithms holding the same exclusive <see cref="AlgorithmTraits"/>, and
/// asks each algorithm to check the others (so conflicts never surface mid-run). Events run in list order;
/// <see cref="TrainingEvent.StepEnd"/> and <see cref="TrainingEvent.FitEnd"/> run in reverse (first in, last out).
/// </summary>
public interface ITrainingAlgorithm
{
    /// <summary>Name used in logs and conflict messages.</summary>
    string Name { get; }

    /// <summary>What this algorithm changes.</summary>
    AlgorithmTraits Traits { get; }

    /// <summary>Throws <see cref="InvalidOperationException"/> when it cannot run with <paramref name="others"/> or these options.</summary>
    void CheckCompatibility(IReadOnlyList<ITrainingAlgorithm> others, TrainerOptions options, IBatchSelector? selector);

    /// <summary>Called at each event; may read and change <paramref name="state"/> within its declared traits.</summary>
    void OnEvent(TrainingEvent trainingEvent, TrainingState state);
}

/// <summary>Base class with no traits and no compatibility constraints; override what you need.</summary>
public abstract class TrainingCallback : ITrainingAlgorithm
{
    /// <inheritdoc />
    public virtual string Name => GetType().Name;

    /// <inheritdoc />
    public virtual AlgorithmTraits Traits => AlgorithmTraits.None;

    /// <inheritdoc />
    public virtual void CheckCompatibility(IReadOnlyList<ITrainingAlgorithm> others, TrainerOptions options, IBatchSelector? selector) { }

    /// <inheritdoc />
    public abstract void OnEvent(TrainingEvent trainingEvent, TrainingState state);
}
