namespace Bus.MLNet;

/// <summary>
/// Per-character classification metrics, shaped like ML.NET's <c>MulticlassClassificationMetrics</c>: made by
/// <c>mlContext.MulticlassClassification.EvaluatePerCharacter(...)</c> from a labels column (one class id per
/// character) and the per-character predictions of <see cref="BusPerCharacterTransformer"/>. Every character with a
/// prediction counts once; characters past the model's <see cref="Bus.Core.Model.TransformerConfig.MaxLength"/> (prediction NaN) are not
/// evaluated and are counted in <see cref="SkippedCharacters"/>.
/// </summary>
public sealed class PerCharacterMetrics
{
    internal PerCharacterMetrics(long[,] counts, long skipped)
    {
        int k = counts.GetLength(0);
        Counts = Enumerable.Range(0, k).Select(i => (IReadOnlyList<long>)Enumerable.Range(0, k).Select(j => counts[i,
            j]).ToArray()).ToArray();
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        var support = new long[k];
        long total = 0, correct = 0;
        int present = 0;
        double f1Sum = 0;
        for (int c = 0; c < k; c++)
        {
            long tp = counts[c, c], labelled = 0, predicted = 0;
            for (int j = 0; j < k; j++) { labelled += counts[c, j]; predicted += counts[j, c]; }
            total += labelled;
            correct += tp;
            support[c] = labelled;
            // precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R); 0 where a denominator is 0.
            precision[c] = predicted == 0 ? 0 : (double)tp / predicted;
            recall[c] = labelled == 0 ? 0 : (double)tp / labelled;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
            if (labelled > 0 || predicted > 0) { present++; f1Sum += f1[c]; }
        }
        Accuracy = total == 0 ? 0 : (double)correct / total;
        MacroF1 = present == 0 ? 0 : f1Sum / present;
        PerClassPrecision = precision;
        PerClassRecall = recall;
        PerClassF1 = f1;
        PerClassSupport = support;
        CharacterCount = total;
        SkippedCharacters = skipped;
    }

    /// <summary>Correct characters / evaluated characters (ML.NET's MicroAccuracy, per character).</summary>
    public double Accuracy { get; }

    /// <summary>
    /// Mean of <see cref="PerClassF1"/> over the classes that occur as a label or a prediction (scikit-learn's macro
    /// average).
    /// </summary>
    public double MacroF1 { get; }

    /// <summary>Precision of each class id: TP / (TP + FP); 0 when the class is never predicted.</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Recall of each class id: TP / (TP + FN); 0 when the class never occurs as a label.</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>F1 of each class id: 2PR / (P + R); 0 when both are 0.</summary>
    public IReadOnlyList<double> PerClassF1 { get; }

    /// <summary>Evaluated characters labelled with each class id.</summary>
    public IReadOnlyList<long> PerClassSupport { get; }

    /// <summary>Confusion counts: <c>Counts[label][predicted]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<long>> Counts { get; }

    /// <summary>Characters evaluated.</summary>
    public long CharacterCount { get; }

    /// <summary>Labelled characters without a prediction (past the model's MaxLength), not evaluated.</summary>
    public long SkippedCharacters { get; }

    /// <summary>Counts (label, prediction) pairs of every row of <paramref name="data"/>.</summary>
    internal static PerCharacterMetrics Evaluate(IDataView data, string labelColumnName, string predictedColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = SchemaChecks.RequireCharacterLabels(data.Schema, labelColumnName);
        var predicted = SchemaChecks.Require(data.Schema, "prediction", predictedColumnName,
            t => t is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single,
                "Vector<Single> (one predicted class id per character)");
        var pairs = new List<(int Label, int Predicted)>();
        long skipped = 0, row = -1;
        using var cursor = data.GetRowCursor([labels, predicted]);
        var getLabels = cursor.GetGetter<VBuffer<float>>(labels);
        var getPredicted = cursor.GetGetter<VBuffer<float>>(predicted);
        VBuffer<float> labelBuffer = default, predictedBuffer = default;
        while (cursor.MoveNext())
        {
            row++;
            getLabels(ref labelBuffer);
            getPredicted(ref predictedBuffer);
            var y = labelBuffer.DenseValues().ToArray();
            var p = predictedBuffer.DenseValues().ToArray();
            for (int i = 0; i < y.Length; i++)
            {
                if (i >= p.Length || float.IsNaN(p[i])) { skipped++; continue; }
                pairs.Add((ClassId(y[i], row, i, labelColumnName), ClassId(p[i], row, i, predictedColumnName)));
            }
        }
        int k = pairs.Count == 0 ? 0 : pairs.Max(q => Math.Max(q.Label, q.Predicted)) + 1;
        var counts = new long[k, k];
        foreach (var (label, prediction) in pairs) counts[label, prediction]++;
        return new PerCharacterMetrics(counts, skipped);
    }

    private static int ClassId(float value, long row, int position, string column) =>
        float.IsFinite(value) && value >= 0 && value == MathF.Floor(value) && value < BusTrainerOptions.MaxClasses
            ? (int)value
            : throw new InvalidOperationException($"Row {row}: column '{column}' holds {value} at position {position}; expected a "
                + $"class id 0..{BusTrainerOptions.MaxClasses - 1}.");
}
