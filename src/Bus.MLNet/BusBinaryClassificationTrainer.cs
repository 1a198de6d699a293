namespace Bus.MLNet;

/// <summary>
/// Trains a (growing) Bus transformer to classify a text column into a Boolean label: the pooled sequence classifier
/// of <see cref="BusSequenceClassificationTrainer"/> with two classes, false = class 0 and true = class 1 (every
/// <see cref="BusTrainerOptions.Pooling"/> mode, through Bus.Core's <c>Trainer</c>). The output has ML.NET's binary
/// columns: Score (Single, log(p_true / p_false), the logit margin), Probability (Single, p_true) and PredictedLabel
/// (Boolean, p_true &gt; p_false), so <c>mlContext.BinaryClassification.Evaluate</c> works on it.
/// </summary>
public sealed class BusBinaryClassificationTrainer : BusTrainerBase<BusBinaryClassificationTransformer>
{
    /// <summary>Class names of the saved model, in class order (false = 0, true = 1).</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["False", "True"];

    /// <summary>Creates the trainer; prefer <c>mlContext.BinaryClassification.Trainers.BusTransformer(...)</c>.</summary>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves growth operators, optimizers and selectors by name;
    /// <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="scoreColumnName">Output column of scores log(p_true / p_false).</param>
    /// <param name="probabilityColumnName">Output column of probabilities of true.</param>
    /// <param name="predictedLabelColumnName">Output Boolean column of the predicted label.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    /// <exception cref="ArgumentException">An option is invalid, a component is unknown, the device is unavailable, or the growth
    /// operator cannot map the start shape to the final one.</exception>
    public BusBinaryClassificationTrainer(string labelColumnName = "Label", string textColumnName = "Text",
        BusTrainerOptions? options = null, IBusComponents? components = null, string scoreColumnName = "Score",
        string probabilityColumnName = "Probability", string predictedLabelColumnName = "PredictedLabel", ILogger? logger = null)
        : base(textColumnName, labelColumnName, options, components, logger)
    {
        ScoreColumnName = Named(scoreColumnName, nameof(scoreColumnName));
        ProbabilityColumnName = Named(probabilityColumnName, nameof(probabilityColumnName));
        PredictedLabelColumnName = Named(predictedLabelColumnName, nameof(predictedLabelColumnName));
    }

    /// <summary>The score output column.</summary>
    public string ScoreColumnName { get; }

    /// <summary>The probability output column.</summary>
    public string ProbabilityColumnName { get; }

    /// <summary>The predicted-label output column.</summary>
    public string PredictedLabelColumnName { get; }

    private protected override void RequireLabel(SchemaShape inputSchema) => SchemaChecks.RequireBooleanLabel(inputSchema, LabelColumnName);

    private protected override BusTrainingData Read(IDataView input, DataViewSchema.Column text)
    {
        var label = SchemaChecks.RequireBooleanLabel(input.Schema, LabelColumnName);
        var (inputs, lengths, labels) = DataReading.ReadBinary(input, text, label, Options.Model.MaxLength);
        return BusTrainingData.Classification(inputs, lengths, labels, ClassNames, Options);
    }

    private protected override IEstimator<ITransformer> AppendOutputShape(MLContext ml, IEstimator<ITransformer> estimator) =>
        estimator.Append(Outputs(ml, static (_, _) => { }, contractName: null));

    private protected override ITransformer Outputs(MLContext ml, IDataView rows, BusTrainingData data) =>
        Outputs(ml, BusBinaryMappingFactory.Map, BusBinaryMappingFactory.ContractName).Fit(rows);

    private protected override BusBinaryClassificationTransformer Create(ITransformer saved, BusModelHeader header,
        TrainingResult result) =>
        new(saved, TextColumnName, ScoreColumnName, ProbabilityColumnName, PredictedLabelColumnName, header, result.History, result.Log);

    /// <summary>The binary read-out, its columns copied to the chosen names and its internal columns dropped.</summary>
    private IEstimator<ITransformer> Outputs(MLContext ml, Action<BusBinaryInput, BusBinaryOutput> map, string? contractName) =>
        ml.Transforms.CustomMapping(map, contractName)
            .Append(ml.Transforms.CopyColumns(ScoreColumnName, BusModelColumns.BinaryScore))
            .Append(ml.Transforms.CopyColumns(ProbabilityColumnName, BusModelColumns.BinaryProbability))
            .Append(ml.Transforms.CopyColumns(PredictedLabelColumnName, BusModelColumns.BinaryPredicted))
            .Append(ml.Transforms.DropColumns(
                BusModelColumns.BinaryScore, BusModelColumns.BinaryProbability, BusModelColumns.BinaryPredicted));
}
