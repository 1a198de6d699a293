namespace Bus.Core.Tasks;

/// <summary>
/// Sequence classification: one label and one loss per row. Outputs are logits [B, C] (the model pooled
/// already) or [B, T, C], pooled by <see cref="Pooling"/>. Targets are int64 [B] labels, or [B, T] with the
/// row's label at every real position and <see cref="PadTarget"/> at padding (so padded positions drop out of
/// the mean). Loss: mean over rows of cross-entropy of the pooled logits; metric: row accuracy.
/// </summary>
/// <param name="Pooling">How per-position logits become one row.</param>
/// <param name="PadTarget">Target value that marks a padded position in [B, T] targets.</param>
public sealed record SequenceClassificationObjective(SequencePooling Pooling = SequencePooling.Mean, long PadTarget = -100)
    : ITrainingObjective
{
    /// <inheritdoc />
    public string MetricName => "accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (logits, labels) = Pool(output, targets);
        return nn.functional.cross_entropy(logits, labels).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor PerExampleLoss(Tensor output, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (logits, labels) = Pool(output, targets);
        return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (double Sum, long Count) MetricSum(Tensor output, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (logits, labels) = Pool(output, targets);
        return (logits.argmax(-1).eq(labels).sum().item<long>(), labels.shape[0]);
    }

    /// <inheritdoc />
    public double Finish(double sum, long count) => sum / count;

    /// <summary>Pooled logits [B, C] and labels [B] (section: sequence classification with pooling).</summary>
    public (Tensor Logits, Tensor Labels) Pool(Tensor output, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(targets);
        if (output.dim() == 2)
        {
            if (targets.dim() != 1)
                throw new ArgumentException(
                    $"Pooled logits [B, C] need labels [B]; got targets of shape [{string.Join(",", targets.shape)}].", nameof(targets));
            return (output.alias(), targets.alias());
        }
        if (output.dim() != 3)
            throw new ArgumentException($"Outputs must be logits [B, C] or [B, T, C]; got shape [{string.Join(",", output.shape)}].",
                nameof(output));
        Tensor mask, labels;
        if (targets.dim() == 1)
        {
            mask = ones(output.shape[0], output.shape[1], dtype: output.dtype, device: output.device);
            labels = targets.alias();
        }
        else if (targets.dim() == 2 && targets.shape[1] == output.shape[1])
        {
            var real = targets.ne(PadTarget);
            mask = real.to(output.dtype);
            // label = the target at the row's first real position (argmax of the mask picks the first 1)
            var first = real.to(ScalarType.Int64).argmax(1, keepdim: true);
            labels = targets.gather(1, first).squeeze(1);
        }
        else
            throw new ArgumentException(
                $"Targets must be labels [B] or [B, T={output.shape[1]}]; got shape [{string.Join(",", targets.shape)}].", nameof(targets));
        if (Pooling == SequencePooling.First)
            return (output.select(1, 0), labels);
        if (Pooling == SequencePooling.PerToken)
            return (output.mean([1]), labels);
        var count = mask.sum(1, keepdim: true).clamp_min(ConstantScalars.Of(1));
        return ((output * mask.unsqueeze(-1)).sum(1) / count, labels);
    }
}
