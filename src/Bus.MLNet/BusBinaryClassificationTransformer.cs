namespace Bus.MLNet;

/// <summary>
/// Output of <see cref="BusBinaryClassificationTrainer"/>: adds ML.NET's binary columns, <see cref="ScoreColumnName"/>
/// (Single, log(p_true / p_false)), <see cref="ProbabilityColumnName"/> (Single, p_true) and
/// <see cref="PredictedLabelColumnName"/> (Boolean), so <c>mlContext.BinaryClassification.Evaluate</c> works on its output.
/// </summary>
public sealed class BusBinaryClassificationTransformer : BusTransformerBase
{
    internal BusBinaryClassificationTransformer(ITransformer saved, string textColumnName, string scoreColumnName,
        string probabilityColumnName, string predictedLabelColumnName, BusModelHeader header, IReadOnlyList<MetricsRecord> history,
        IReadOnlyList<string> log)
        : base(saved, textColumnName, header, history, log)
    {
        ScoreColumnName = scoreColumnName;
        ProbabilityColumnName = probabilityColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
    }

    /// <summary>Column of scores log(p_true / p_false) (positive: true is predicted).</summary>
    public string ScoreColumnName { get; }

    /// <summary>Column of probabilities of true.</summary>
    public string ProbabilityColumnName { get; }

    /// <summary>Boolean column of the predicted label.</summary>
    public string PredictedLabelColumnName { get; }
}
