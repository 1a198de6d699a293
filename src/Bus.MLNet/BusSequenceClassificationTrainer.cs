namespace Bus.MLNet;

/// <summary>
/// Trains a (growing) Bus transformer to classify a text column. The text is text8-normalised, encoded with the
/// 27-symbol vocabulary and truncated or padded with spaces to the model's
/// <see cref="Bus.Core.Model.TransformerConfig.MaxLength"/>.
/// Pooling (<see cref="BusTrainerOptions.Pooling"/>): the model is an encoder with per-token logits; by default
/// (<see cref="SequencePooling.Mean"/>) they are averaged over the text's characters (padding excluded) and trained
/// with one cross-entropy per row; prediction applies softmax to the same pooled logits. Every pooling mode trains
/// through Bus.Core's <c>Trainer</c> with Bus.Core's objectives (batch selectors, the non-finite guard and growth apply).
/// The label column must be a key (use <c>MapValueToKey</c>); the output has a Score vector and a PredictedLabel
/// key, so <c>mlContext.MulticlassClassification.Evaluate</c> works on it.
/// </summary>
public sealed class BusSequenceClassificationTrainer : BusTrainerBase<BusSequenceClassificationTransformer>
{
    /// <summary>Creates the trainer; prefer <c>mlContext.MulticlassClassification.Trainers.BusTransformer(...)</c>.</summary>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves growth operators, optimizers and selectors by name;
    /// <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="scoreColumnName">Output column of class probabilities.</param>
    /// <param name="predictedLabelColumnName">Output key column of the predicted class.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    /// <exception cref="ArgumentException">An option is invalid, a component is unknown, the device is unavailable, or the growth
    /// operator cannot map the start shape to the final one.</exception>
    public BusSequenceClassificationTrainer(string labelColumnName = "Label", string textColumnName = "Text",
        BusTrainerOptions? options = null, IBusComponents? components = null, string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel", ILogger? logger = null)
        : base(textColumnName, labelColumnName, options, components, logger)
    {
        ScoreColumnName = Named(scoreColumnName, nameof(scoreColumnName));
        PredictedLabelColumnName = Named(predictedLabelColumnName, nameof(predictedLabelColumnName));
    }

    /// <summary>The score output column.</summary>
    public string ScoreColumnName { get; }

    /// <summary>The predicted-label output column.</summary>
    public string PredictedLabelColumnName { get; }

    private protected override void RequireLabel(SchemaShape inputSchema) => SchemaChecks.RequireKeyLabel(inputSchema, LabelColumnName);

    /// <exception cref="InvalidOperationException">More than <see cref="BusTrainerOptions.MaxClasses"/> classes.</exception>
    private protected override BusTrainingData Read(IDataView input, DataViewSchema.Column text)
    {
        var label = SchemaChecks.RequireKeyLabel(input.Schema, LabelColumnName);
        int classes = checked((int)((KeyDataViewType)label.Type).Count);
        if (classes > BusTrainerOptions.MaxClasses)
            throw new InvalidOperationException(
                $"Label column '{LabelColumnName}' has {classes} classes; Bus supports at most {BusTrainerOptions.MaxClasses}.");
        var (inputs, lengths, labels) = DataReading.ReadClassification(input, text, label, Options.Model.MaxLength);
        return BusTrainingData.Classification(inputs, lengths, labels, DataReading.ClassNames(label, classes), Options);
    }

    private protected override IEstimator<ITransformer> AppendOutputShape(MLContext ml, IEstimator<ITransformer> estimator) => estimator
        .Append(ml.Transforms.CopyColumns(ScoreColumnName, BusModelColumns.Output))
        .Append(ml.Transforms.Conversion.MapValueToKey(PredictedLabelColumnName, BusModelColumns.Predicted));

    private protected override ITransformer Outputs(MLContext ml, IDataView rows, BusTrainingData data)
    {
        var score = BusPortablePipeline.FirstSlots(ml, ScoreColumnName, data.ClassNames.Count);
        var keyData = ml.Data.LoadFromEnumerable(data.ClassNames.Select(n => new ClassName { Name = n }));
        var keys = ml.Transforms.Conversion.MapValueToKey(PredictedLabelColumnName, BusModelColumns.Predicted, keyData: keyData)
            .Fit(new EmptyDataView(score.GetOutputSchema(rows.Schema)));
        return new TransformerChain<ITransformer>(score, keys);
    }

    private protected override BusSequenceClassificationTransformer Create(ITransformer saved, BusModelHeader header,
        TrainingResult result) =>
        new(saved, TextColumnName, ScoreColumnName, PredictedLabelColumnName, header, result.History, result.Log);

    private sealed class ClassName
    {
        public string Name { get; set; } = "";
    }
}
