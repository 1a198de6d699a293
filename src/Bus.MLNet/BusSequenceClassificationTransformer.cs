namespace Bus.MLNet;

/// <summary>
/// Output of <see cref="BusSequenceClassificationTrainer"/>: adds <see cref="ScoreColumnName"/> (class probabilities,
/// a known-size Vector&lt;Single&gt;) and <see cref="PredictedLabelColumnName"/> (a key whose values are the class names).
/// </summary>
public sealed class BusSequenceClassificationTransformer : BusTransformerBase
{
    internal BusSequenceClassificationTransformer(ITransformer saved, string textColumnName, string scoreColumnName,
        string predictedLabelColumnName,
        BusModelHeader header, IReadOnlyList<MetricsRecord> history, IReadOnlyList<string> log)
        : base(saved, textColumnName, header, history, log)
    {
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
    }

    /// <summary>Column of class probabilities.</summary>
    public string ScoreColumnName { get; }

    /// <summary>Key column of the predicted class.</summary>
    public string PredictedLabelColumnName { get; }

    /// <summary>Class names in key order.</summary>
    public IReadOnlyList<string> ClassNames => Header.LabelNames;
}
