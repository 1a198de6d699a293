namespace Bus.MLNet;

/// <summary>ML.NET catalog extensions for the Bus trainers.</summary>
public static class BusCatalog
{
    /// <summary>
    /// A (growing) Bus transformer classifying <paramref name="textColumnName"/> into the classes of the key column
    /// <paramref name="labelColumnName"/>; outputs Score and PredictedLabel.
    /// </summary>
    /// <param name="catalog">mlContext.MulticlassClassification.Trainers.</param>
    /// <param name="labelColumnName">Key-typed label column (after MapValueToKey).</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves components by name; <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    public static BusSequenceClassificationTrainer BusTransformer(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string textColumnName = "Text", BusTrainerOptions? options = null,
            IBusComponents? components = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BusSequenceClassificationTrainer(labelColumnName, textColumnName, options, components, logger: logger);
    }

    /// <summary>
    /// A (growing) Bus transformer classifying <paramref name="textColumnName"/> by the Boolean column
    /// <paramref name="labelColumnName"/> (false = class 0, true = class 1); outputs Score (log(p_true / p_false)),
    /// Probability (p_true) and PredictedLabel (Boolean), so <c>mlContext.BinaryClassification.Evaluate</c> works.
    /// </summary>
    /// <param name="catalog">mlContext.BinaryClassification.Trainers.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves components by name; <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    public static BusBinaryClassificationTrainer BusTransformer(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string textColumnName = "Text", BusTrainerOptions? options = null,
        IBusComponents? components = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BusBinaryClassificationTrainer(labelColumnName, textColumnName, options, components, logger: logger);
    }

    /// <summary>
    /// A (growing) Bus transformer trained on per-character labels (e.g. letter counting); outputs one predicted
    /// class id per character in <paramref name="outputColumnName"/>.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="outputColumnName">Output column of per-character predictions.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="labelColumnName">Vector&lt;Single&gt; column of per-character class ids.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves components by name; <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    public static BusPerCharacterTrainer BusPerCharacter(this TransformsCatalog catalog, string outputColumnName = "PredictedLabels",
        string textColumnName = "Text", string labelColumnName = "Labels", BusTrainerOptions? options = null,
            IBusComponents? components = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BusPerCharacterTrainer(outputColumnName, textColumnName, labelColumnName, options, components, logger);
    }

    /// <summary>
    /// Per-character accuracy, per-class precision/recall/F1 and macro-F1 of <paramref name="data"/>, e.g. the output
    /// of a <see cref="BusPerCharacterTransformer"/> on a test set (the per-character counterpart of <c>Evaluate</c>).
    /// </summary>
    /// <param name="catalog">mlContext.MulticlassClassification.</param>
    /// <param name="data">Rows with a labels column and a predictions column.</param>
    /// <param name="labelColumnName">Vector&lt;Single&gt; column of per-character class ids.</param>
    /// <param name="predictedColumnName">Vector&lt;Single&gt; column of predicted ids (NaN past the end of the text).</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">A value is not a class id (the message names the row, column and position).</exception>
    public static PerCharacterMetrics EvaluatePerCharacter(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Labels", string predictedColumnName = "PredictedLabels")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return PerCharacterMetrics.Evaluate(data, labelColumnName, predictedColumnName);
    }
}
