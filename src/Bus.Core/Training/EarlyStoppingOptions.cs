namespace Bus.Core.Training;

/// <summary>
/// Early stopping on the dev set (<see cref="TrainerOptions.EarlyStopping"/>): the run ends, as
/// <see cref="StopReason.Requested"/>, after <see cref="Patience"/> scheduled evaluations in a row that did not improve
/// on the best one by more than <see cref="MinDelta"/>. The model returned (and saved) is the last one, not the best;
/// the run log names the best evaluation and its step.
/// </summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>Scheduled evaluations in a row without improvement that end the run (at least 1; default 5).</summary>
    public int Patience { get; init => field = Guard.Positive(value, nameof(Patience)); } = 5;

    /// <summary>
    /// The smallest change that counts as an improvement, in the monitored value's unit (finite, at least 0; default 0:
    /// any strict improvement counts).
    /// </summary>
    public double MinDelta { get; init => field = Guard.NonNegative(value, nameof(MinDelta)); }

    /// <summary>What is watched: the dev loss (default, lower is better) or the objective's dev metric (its own direction).</summary>
    public EarlyStoppingMonitor Monitor { get; init => field = Guard.Defined(value, nameof(Monitor)); } = EarlyStoppingMonitor.DevLoss;
}

/// <summary>The value <see cref="EarlyStoppingOptions"/> watches.</summary>
public enum EarlyStoppingMonitor
{
    /// <summary>Mean dev loss; lower is better.</summary>
    DevLoss,
    /// <summary>The objective's dev metric, in the direction of <see cref="Tasks.ITrainingObjective.HigherIsBetter"/>.</summary>
    DevMetric,
}
