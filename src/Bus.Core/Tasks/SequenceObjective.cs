namespace Bus.Core.Tasks;

/// <summary>
/// Loss and metric of a per-position sequence task (per-token classification or next-token language
/// modelling): mean token cross-entropy; the metric is accuracy, bits per character or perplexity.
/// Pure functions of logits [B, T, C] and int64 targets [B, T].
/// </summary>
public sealed record SequenceObjective(TaskMetric Metric) : ITrainingObjective
{
    /// <summary>Per-token classification, accuracy metric (letter counting).</summary>
    public static SequenceObjective TokenClassification { get; } = new(TaskMetric.Accuracy);

    /// <summary>Next-character prediction, bits-per-character metric.</summary>
    public static SequenceObjective LanguageModel { get; } = new(TaskMetric.BitsPerCharacter);

    /// <summary>Next-token prediction, perplexity metric exp(mean nats).</summary>
    public static SequenceObjective Perplexity { get; } = new(TaskMetric.Perplexity);

    /// <inheritdoc />
    public bool HigherIsBetter => Metric == TaskMetric.Accuracy;

    /// <summary>Short metric name for tables ("accuracy", "bpc" or "perplexity").</summary>
    public string MetricName => Metric switch
    {
        TaskMetric.Accuracy => "accuracy",
        TaskMetric.Perplexity => "perplexity",
        _ => "bpc",
    };

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

    /// <summary>Turns an accumulated <see cref="MetricSum"/> into the metric: accuracy, bits per character (nats / ln 2) or perplexity
    /// exp(nats).</summary>
    public double Finish(double sum, long count) => Metric switch
    {
        TaskMetric.Accuracy => sum / count,
        TaskMetric.Perplexity => Math.Exp(sum / count),
        _ => sum / count / Math.Log(2),
    };
}
