namespace Bus.MLNet;

/// <summary>
/// How the sequence classifier turns the model's per-token logits into one prediction per row.
/// </summary>
public enum SequencePooling
{
    /// <summary>
    /// Mean over the row's real characters (padding excluded) of the per-token logits, then one cross-entropy per
    /// row. The default: it learns labels that depend on where something occurs (e.g. a doubled adjacent letter).
    /// </summary>
    Mean,

    /// <summary>The first token's logits (a CLS-style read-out; the encoder attends in both directions), one cross-entropy per row.</summary>
    First,

    /// <summary>
    /// The original head: every position (padding included) is trained on the row's label, and prediction averages
    /// the logits over all <see cref="BusTrainerOptions.MaxLength"/> positions. The only mode that supports a
    /// batch selector (it trains through Bus.Core's <c>Trainer</c>). Saved models without a pooling field use it.
    /// </summary>
    PerToken,
}
