namespace Bus.Core.Tasks;

/// <summary>How <see cref="SequenceClassificationObjective"/> turns per-position logits [B, T, C] into one row [B, C].</summary>
public enum SequencePooling
{
    /// <summary>Mean over the row's real (non-pad) positions.</summary>
    Mean,

    /// <summary>The first position (a [CLS]-style token).</summary>
    First,

    /// <summary>
    /// Mean over all T positions, padding included: the read-out of a model trained on per-token targets
    /// (<see cref="SequenceObjective.TokenClassification"/> with the row's label at every position).
    /// </summary>
    PerToken,
}
