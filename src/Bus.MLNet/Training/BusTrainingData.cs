namespace Bus.MLNet.Training;

/// <summary>
/// What an estimator read from its input for one <c>Fit</c>: encoded rows, per-position targets, the objective they
/// train under, and what the saved model records (task, class names, pooling).
/// </summary>
/// <param name="Inputs">Encoded texts, each <see cref="Bus.Core.Model.TransformerConfig.MaxLength"/> long.</param>
/// <param name="Targets">Per-position targets, one row per input.</param>
/// <param name="ClassNames">Class names in class order (their count is the model's classes).</param>
/// <param name="Objective">The Bus.Core objective the rows train under.</param>
/// <param name="Task">The task of the saved model.</param>
/// <param name="Pooling">The saved model's read-out.</param>
internal sealed record BusTrainingData(
    IReadOnlyList<long[]> Inputs, IReadOnlyList<long[]> Targets, IReadOnlyList<string> ClassNames, ITrainingObjective Objective,
    BusModelTask Task, SequencePooling Pooling = SequencePooling.Mean)
{
    /// <summary>
    /// Sequence classification in every pooling mode: the row's label at its real characters (PerToken: at every
    /// position) and the pooling's objective (<see cref="PooledTargets"/>).
    /// </summary>
    public static BusTrainingData Classification(
        IReadOnlyList<long[]> inputs, IReadOnlyList<int> lengths, IReadOnlyList<long> labels, IReadOnlyList<string> classNames,
        BusTrainerOptions options)
    {
        var targets = labels.Select((y, i) => PooledTargets.Row(y, lengths[i], options.Model.MaxLength, options.Pooling)).ToList();
        return new(inputs, targets, classNames, PooledTargets.Objective(options.Pooling), BusModelTask.SequenceClassification,
            options.Pooling);
    }
}
