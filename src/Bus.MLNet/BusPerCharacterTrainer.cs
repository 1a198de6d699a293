using Bus.MLNet.Components;
using Bus.MLNet.Portable;
using Bus.MLNet.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Bus.MLNet;

/// <summary>
/// Trains a (growing) Bus transformer on a per-character task such as letter counting. Input: a text column and a
/// labels column of type Vector&lt;Single&gt; holding one class id per character of the text as the model reads it (BusText.Prepare: unchanged when it is already in the 27-symbol alphabet, else text8-normalised).
/// Output: <see cref="OutputColumnName"/>, a Vector&lt;Single&gt; of <see cref="BusTrainerOptions.MaxLength"/>
/// predicted class ids (NaN past the end of the text). Texts are truncated or padded with spaces to
/// <see cref="BusTrainerOptions.MaxLength"/>; padded positions are trained towards class 0.
/// </summary>
public sealed class BusPerCharacterTrainer : IEstimator<BusPerCharacterTransformer>
{
    private readonly IBusComponents _components;
    private readonly ILogger _logger;

    /// <summary>Creates the trainer; prefer <c>mlContext.Transforms.BusPerCharacter(...)</c>.</summary>
    /// <param name="outputColumnName">Output column of per-character predictions.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="labelColumnName">Vector&lt;Single&gt; column of per-character class ids.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves growth operators, optimizers and selectors by name; <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    /// <exception cref="ArgumentException">An option is invalid, a component is unknown, the device is unavailable, or the growth operator cannot map the start shape to the final one.</exception>
    public BusPerCharacterTrainer(string outputColumnName = "PredictedLabels", string textColumnName = "Text", string labelColumnName = "Labels",
        BusTrainerOptions? options = null, IBusComponents? components = null, ILogger? logger = null)
    {
        OutputColumnName = BusSequenceClassificationTrainer.Named(outputColumnName, nameof(outputColumnName));
        TextColumnName = BusSequenceClassificationTrainer.Named(textColumnName, nameof(textColumnName));
        LabelColumnName = BusSequenceClassificationTrainer.Named(labelColumnName, nameof(labelColumnName));
        Options = (options ?? new BusTrainerOptions()).Validate();
        _components = components ?? BusComponents.Default;
        _logger = logger ?? NullLogger.Instance;
        ModelShapes.Check(Options, _components);
    }

    /// <summary>The output column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The text column.</summary>
    public string TextColumnName { get; }

    /// <summary>The per-character labels column.</summary>
    public string LabelColumnName { get; }

    /// <summary>The options.</summary>
    public BusTrainerOptions Options { get; }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireText(inputSchema, TextColumnName);
        SchemaChecks.RequireCharacterLabels(inputSchema, LabelColumnName);
        return OutputShape.Of(inputSchema, TextColumnName, (ml, estimator) => estimator
            .Append(ml.Transforms.CopyColumns(OutputColumnName, BusModelColumns.Output)));
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">A row's label count differs from its character count, a label is not a class id, or there are fewer than two rows.</exception>
    public BusPerCharacterTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = SchemaChecks.RequireText(input.Schema, TextColumnName);
        var labels = SchemaChecks.RequireCharacterLabels(input.Schema, LabelColumnName);
        var (inputs, targets, classes) = DataReading.ReadPerCharacter(input, text, labels, Options.MaxLength);
        var (model, result) = BusTrainingRun.Train(inputs, targets, classes, Bus.Core.Tasks.SequenceObjective.TokenClassification, Options, _components, _logger);
        var names = Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (header, weights) = BusInferenceModel.Export(model, BusModelTask.PerCharacter, names);
        model.Dispose();

        var ml = new MLContext(unchecked((int)Options.Seed));
        var saved = BusPortablePipeline.Build(ml, input, TextColumnName, header, weights,
            (context, _) => BusPortablePipeline.FirstSlots(context, OutputColumnName, Options.MaxLength));
        return new BusPerCharacterTransformer(saved, TextColumnName, OutputColumnName, header, result.History, result.Log);
    }
}
