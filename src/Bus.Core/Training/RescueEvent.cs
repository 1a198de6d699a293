namespace Bus.Core.Training;

/// <summary>
/// A rescue of a run that stopped on a non-finite loss (<see cref="Checkpoints.CheckpointOptions.Rescue"/>): the run went
/// on from its last finite checkpoint with only the learning rate changed.
/// </summary>
/// <param name="Step">Optimizer steps of the checkpoint the run went on from.</param>
/// <param name="StoppedAtStep">The step whose loss, gradient or update was not finite.</param>
/// <param name="OldLearningRate">The learning rate (<see cref="TrainerOptions.LearningRate"/>) of the run that stopped.</param>
/// <param name="NewLearningRate">The learning rate from the rescue on.</param>
public sealed record RescueEvent(long Step, long StoppedAtStep, double OldLearningRate, double NewLearningRate)
{
    /// <summary>
    /// The run-log message, e.g. "rescued after the non-finite stop at step 7: resumed from step 4, learning rate 20 -> 0.001
    /// (nothing else changed)".
    /// </summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"rescued after the non-finite stop at step {StoppedAtStep}: resumed from step {Step}, "
        + $"learning rate {OldLearningRate:R} -> {NewLearningRate:R} (nothing else changed)");
}
