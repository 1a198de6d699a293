namespace Bus.Core.Tasks;

/// <summary>
/// What a model is trained to do: the loss to back-propagate, the per-example loss batch selectors score with,
/// and the dev metric. Contract: <see cref="Loss"/> is the mean over the same units <see cref="MetricSum"/>
/// counts (positions, rows or elements), so the trainer's dev loss is Σ(batch loss × count) / Σ count.
/// Built-ins: <see cref="SequenceObjective"/> (per-token classification, next-token LM),
/// <see cref="SequenceClassificationObjective"/> (one label per row, pooled) and <see cref="RegressionObjective"/> (MSE).
/// </summary>
public interface ITrainingObjective
{
    /// <summary>Short metric name for tables and progress lines (e.g. "accuracy", "bpc", "mse").</summary>
    string MetricName { get; }

    /// <summary>True when a larger metric is better.</summary>
    bool HigherIsBetter { get; }

    /// <summary>Scalar loss to back-propagate for a batch of model outputs and targets.</summary>
    Tensor Loss(Tensor output, Tensor targets);

    /// <summary>One loss per example (row) [B]; batch selectors score candidates with it.</summary>
    Tensor PerExampleLoss(Tensor output, Tensor targets);

    /// <summary>The metric's numerator summed over a batch and the number of units it counts.</summary>
    (double Sum, long Count) MetricSum(Tensor output, Tensor targets);

    /// <summary>Turns sums accumulated with <see cref="MetricSum"/> into the metric.</summary>
    double Finish(double sum, long count);
}
