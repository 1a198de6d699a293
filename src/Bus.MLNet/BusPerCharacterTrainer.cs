using System.Globalization;

namespace Bus.MLNet;

/// <summary>
/// Trains a (growing) Bus transformer on a per-character task such as letter counting. Input: a text column and a
/// labels column of type Vector&lt;Single&gt; holding one class id per character of the text as the model reads it
/// (BusText.Prepare: unchanged when it is already in the 27-symbol alphabet, else text8-normalised).
/// Output: <see cref="OutputColumnName"/>, a Vector&lt;Single&gt; of the model's
/// <see cref="Bus.Core.Model.TransformerConfig.MaxLength"/> predicted class ids (NaN past the end of the text). Texts
/// are truncated or padded with spaces to that length; padded positions are trained towards class 0.
/// </summary>
public sealed class BusPerCharacterTrainer : BusTrainerBase<BusPerCharacterTransformer>
{
    /// <summary>Creates the trainer; prefer <c>mlContext.Transforms.BusPerCharacter(...)</c>.</summary>
    /// <param name="outputColumnName">Output column of per-character predictions.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="labelColumnName">Vector&lt;Single&gt; column of per-character class ids.</param>
    /// <param name="options">Model, growth and training options; defaults when null.</param>
    /// <param name="components">Resolves growth operators, optimizers and selectors by name;
    /// <see cref="BusComponents.Default"/> when null.</param>
    /// <param name="logger">Receives progress (each dev evaluation) and growth events; none when null.</param>
    /// <exception cref="ArgumentException">An option is invalid, a component is unknown, the device is unavailable, or the growth
    /// operator cannot map the start shape to the final one.</exception>
    public BusPerCharacterTrainer(string outputColumnName = "PredictedLabels", string textColumnName = "Text",
        string labelColumnName = "Labels", BusTrainerOptions? options = null, IBusComponents? components = null, ILogger? logger = null)
        : base(textColumnName, labelColumnName, options, components, logger)
    {
        OutputColumnName = Named(outputColumnName, nameof(outputColumnName));
    }

    /// <summary>The output column.</summary>
    public string OutputColumnName { get; }

    private protected override void RequireLabel(SchemaShape inputSchema) =>
        SchemaChecks.RequireCharacterLabels(inputSchema, LabelColumnName);

    private protected override BusTrainingData Read(IDataView input, DataViewSchema.Column text)
    {
        var labels = SchemaChecks.RequireCharacterLabels(input.Schema, LabelColumnName);
        var (inputs, targets, classes) = DataReading.ReadPerCharacter(input, text, labels, Options.Model.MaxLength);
        var names = Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new BusTrainingData(inputs, targets, names, SequenceObjective.TokenClassification, BusModelTask.PerCharacter);
    }

    private protected override IEstimator<ITransformer> AppendOutputShape(MLContext ml, IEstimator<ITransformer> estimator) =>
        estimator.Append(ml.Transforms.CopyColumns(OutputColumnName, BusModelColumns.Output));

    private protected override ITransformer Outputs(MLContext ml, IDataView rows, BusTrainingData data) =>
        BusPortablePipeline.FirstSlots(ml, OutputColumnName, Options.Model.MaxLength);

    private protected override BusPerCharacterTransformer Create(ITransformer saved, BusModelHeader header, TrainingResult result) =>
        new(saved, TextColumnName, OutputColumnName, header, result.History, result.Log);
}
