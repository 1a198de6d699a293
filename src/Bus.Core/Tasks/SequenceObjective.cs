using static TorchSharp.torch;

namespace Bus.Core.Tasks;

/// <summary>
/// Loss and metric of a per-position sequence task: mean token cross-entropy; the metric is accuracy
/// (letter counting) or bits per character (char LM). Pure functions of logits and targets.
/// </summary>
public sealed record SequenceObjective(TaskMetric Metric)
{
    /// <summary>Per-token classification, accuracy metric (letter counting).</summary>
    public static SequenceObjective Classification { get; } = new(TaskMetric.Accuracy);

    /// <summary>Next-character prediction, bits-per-character metric.</summary>
    public static SequenceObjective LanguageModel { get; } = new(TaskMetric.BitsPerCharacter);

    /// <summary>True when a larger metric is better.</summary>
    public bool HigherIsBetter => Metric == TaskMetric.Accuracy;

    /// <summary>Short metric name for tables ("accuracy" or "bpc").</summary>
    public string MetricName => Metric == TaskMetric.Accuracy ? "accuracy" : "bpc";

    /// <summary>Mean cross-entropy (nats) over every position: logits [B, T, C], targets [B, T].</summary>
    public Tensor Loss(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten());

    /// <summary>Per-example loss [B]: cross-entropy averaged over each sequence's positions (batch selectors score with it).</summary>
    public Tensor PerExampleLoss(Tensor logits, Tensor targets)
    {
        using var perToken = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction: nn.Reduction.None);
        return perToken.view(targets.shape[0], targets.shape[1]).mean([1]);
    }

    /// <summary>Sum of the metric's numerator over a batch (correct positions, or summed nats) and the position count.</summary>
    public (double Sum, long Count) MetricSum(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        long count = targets.numel();
        if (Metric == TaskMetric.Accuracy)
            return (logits.argmax(-1).eq(targets).sum().item<long>(), count);
        var nats = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction: nn.Reduction.Sum);
        return (nats.item<float>(), count);
    }

    /// <summary>Turns an accumulated <see cref="MetricSum"/> into the metric (accuracy, or bits per character).</summary>
    public double Finish(double sum, long count) =>
        Metric == TaskMetric.Accuracy ? sum / count : sum / count / Math.Log(2);
}
