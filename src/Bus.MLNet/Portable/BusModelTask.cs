namespace Bus.MLNet.Portable;

/// <summary>What a saved Bus model predicts.</summary>
public enum BusModelTask
{
    /// <summary>One label per text: class probabilities from per-token logits averaged over positions.</summary>
    SequenceClassification,

    /// <summary>One label per character: the arg-max class at each position.</summary>
    PerCharacter,
}
