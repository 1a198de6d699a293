using Bus.Core.Tasks;
using Bus.MLNet.Components;
using Bus.MLNet.Portable;
using Bus.MLNet.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Bus.MLNet;

/// <summary>
/// Trains a (growing) Bus transformer to classify a text column. The text is text8-normalised, encoded with the
/// 27-symbol vocabulary and truncated or padded with spaces to <see cref="BusTrainerOptions.MaxLength"/>.
/// Pooling (<see cref="BusTrainerOptions.Pooling"/>): the model is an encoder with per-token logits; by default
/// (<see cref="SequencePooling.Mean"/>) they are averaged over the text's characters (padding excluded) and trained
/// with one cross-entropy per row; prediction applies softmax to the same pooled logits. Every pooling mode trains
/// through Bus.Core's <c>Trainer</c> with Bus.Core's objectives (batch selectors, the non-finite guard and growth apply).
/// The label column must be a key (use <c>MapValueToKey</c>); the output has a Score vector and a PredictedLabel
/// key, so <c>mlContext.MulticlassClassification.Evaluate</c> works on it.
/// </summary>
public sealed class BusSequenceClassificationTrainer : IEstimator<BusSequenceClassificationTransformer>
{
    private readonly IBusComponents _components;
    private readonly ILogger _logger;

    /// <summary>Creates the trainer; prefer <c>mlContext.MulticlassClassification.Trainers.BusTransformer(...)</c>.</summary>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves growth operators, optimizers and selectors by name; <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="scoreColumnName">Output column of class probabilities.</param>
    /// <param name="predictedLabelColumnName">Output key column of the predicted class.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    /// <exception cref="ArgumentException">An option is invalid, a component is unknown, the device is unavailable, or the growth operator cannot map the start shape to the final one.</exception>
    public BusSequenceClassificationTrainer(string labelColumnName = "Label", string textColumnName = "Text", BusTrainerOptions? options = null,
        IBusComponents? components = null, string scoreColumnName = "Score", string predictedLabelColumnName = "PredictedLabel", ILogger? logger = null)
    {
        LabelColumnName = Named(labelColumnName, nameof(labelColumnName));
        TextColumnName = Named(textColumnName, nameof(textColumnName));
        ScoreColumnName = Named(scoreColumnName, nameof(scoreColumnName));
        PredictedLabelColumnName = Named(predictedLabelColumnName, nameof(predictedLabelColumnName));
        Options = (options ?? new BusTrainerOptions()).Validate();
        _components = components ?? BusComponents.Default;
        _logger = logger ?? NullLogger.Instance;
        ModelShapes.Check(Options, _components);
    }

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; }

    /// <summary>The text column.</summary>
    public string TextColumnName { get; }

    /// <summary>The score output column.</summary>
    public string ScoreColumnName { get; }

    /// <summary>The predicted-label output column.</summary>
    public string PredictedLabelColumnName { get; }

    /// <summary>The options.</summary>
    public BusTrainerOptions Options { get; }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireText(inputSchema, TextColumnName);
        SchemaChecks.RequireKeyLabel(inputSchema, LabelColumnName);
        return OutputShape.Of(inputSchema, TextColumnName, (ml, estimator) => estimator
            .Append(ml.Transforms.CopyColumns(ScoreColumnName, BusModelColumns.Output))
            .Append(ml.Transforms.Conversion.MapValueToKey(PredictedLabelColumnName, BusModelColumns.Predicted)));
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">Fewer than two labelled rows, or more than <see cref="BusTrainerOptions.MaxClasses"/> classes.</exception>
    public BusSequenceClassificationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = SchemaChecks.RequireText(input.Schema, TextColumnName);
        var label = SchemaChecks.RequireKeyLabel(input.Schema, LabelColumnName);
        int classes = checked((int)((KeyDataViewType)label.Type).Count);
        if (classes > BusTrainerOptions.MaxClasses)
            throw new InvalidOperationException($"Label column '{LabelColumnName}' has {classes} classes; Bus supports at most {BusTrainerOptions.MaxClasses}.");
        var names = DataReading.ClassNames(label, classes);
        var (inputs, lengths, labels) = DataReading.ReadClassification(input, text, label, Options.MaxLength);
        var (model, result) = BusTrainingRun.TrainClassifier(inputs, lengths, labels, classes, Options, _components, _logger);
        var (header, weights) = BusInferenceModel.Export(model, BusModelTask.SequenceClassification, names, Options.Pooling);
        model.Dispose();

        var ml = new MLContext(unchecked((int)Options.Seed));
        var saved = BusPortablePipeline.Build(ml, input, TextColumnName, header, weights, (context, data) =>
        {
            var score = BusPortablePipeline.FirstSlots(context, ScoreColumnName, classes);
            var keyData = context.Data.LoadFromEnumerable(names.Select(n => new ClassName { Name = n }));
            var keys = context.Transforms.Conversion.MapValueToKey(PredictedLabelColumnName, BusModelColumns.Predicted, keyData: keyData)
                .Fit(new EmptyDataView(score.GetOutputSchema(data.Schema)));
            return new TransformerChain<ITransformer>(score, keys);
        });
        return new BusSequenceClassificationTransformer(saved, TextColumnName, ScoreColumnName, PredictedLabelColumnName, header, result.History, result.Log);
    }

    private sealed class ClassName
    {
        public string Name { get; set; } = "";
    }

    internal static string Named(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"Column name must not be empty; got '{value}'.", name) : value;
}
