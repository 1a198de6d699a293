namespace Bus.MLNet.Training;

/// <summary>
/// How the sequence classifier's rows meet Bus.Core's objectives (one definition for training and inference):
/// per-position targets [T] for a row, the objective that trains them, and the pooled logits at inference.
/// </summary>
internal static class PooledTargets
{
    /// <summary>Marks a padded position (<see cref="SequenceClassificationObjective.PadTarget"/>'s default).</summary>
    public const long Pad = -100;

    /// <summary>
    /// The row's targets: <see cref="SequencePooling.PerToken"/> puts the label at every position (padding included);
    /// Mean and First put it at the real characters t &lt; max(length, 1) (an empty text reads position 0) and
    /// <see cref="Pad"/> after them, so padding drops out of the pooled mean.
    /// </summary>
    public static long[] Row(long label, int length, int maxLength, SequencePooling pooling)
    {
        var targets = new long[maxLength];
        int real = pooling == SequencePooling.PerToken ? maxLength : Math.Clamp(length, 1, maxLength);
        Array.Fill(targets, label, 0, real);
        Array.Fill(targets, Pad, real, maxLength - real);
        return targets;
    }

    /// <summary>
    /// The training objective: <see cref="SequencePooling.PerToken"/> trains every position with its own cross-entropy
    /// (<see cref="SequenceObjective.TokenClassification"/>); Mean and First train one cross-entropy per row on the pooled
    /// logits (<see cref="SequenceClassificationObjective"/>).
    /// </summary>
    public static ITrainingObjective Objective(SequencePooling pooling) =>
        pooling == SequencePooling.PerToken ? SequenceObjective.TokenClassification : new SequenceClassificationObjective(pooling, Pad);

    /// <summary>Pooled logits [1, C] of one row's per-position logits [1, T, C], by <see cref="SequenceClassificationObjective.Pool"/>.
    /// </summary>
    public static Tensor Pool(Tensor logits, int length, SequencePooling pooling)
    {
        using var scope = NewDisposeScope();
        using var targets = tensor(Row(0, length, (int)logits.shape[1], pooling), [1, logits.shape[1]], ScalarType.Int64, logits.device);
        var (pooled, _) = new SequenceClassificationObjective(pooling, Pad).Pool(logits, targets);
        return pooled.MoveToOuterDisposeScope();
    }
}
