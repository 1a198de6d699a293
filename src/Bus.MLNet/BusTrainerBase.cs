using Microsoft.Extensions.Logging.Abstractions;

namespace Bus.MLNet;

/// <summary>
/// The one <c>Fit</c> of the Bus estimators, as ML.NET's TorchSharp trainers have one: check the text column, read
/// the task's rows (a template method), train through Bus.Core's <c>Trainer</c> (<see cref="BusTrainerOptions"/>,
/// growth, selectors, the non-finite guard), export the model into its saved ML.NET form and add the task's output
/// columns (template methods). Each estimator fills in its label column, its rows and its outputs.
/// </summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
public abstract class BusTrainerBase<TTransformer> : IEstimator<TTransformer>
    where TTransformer : BusTransformerBase
{
    private readonly IBusComponents _components;
    private readonly ILogger _logger;

    private protected BusTrainerBase(string textColumnName, string labelColumnName, BusTrainerOptions? options,
        IBusComponents? components, ILogger? logger)
    {
        TextColumnName = Named(textColumnName, nameof(textColumnName));
        LabelColumnName = Named(labelColumnName, nameof(labelColumnName));
        Options = (options ?? new BusTrainerOptions()).Validate();
        _components = components ?? BusComponents.Default;
        _logger = logger ?? NullLogger.Instance;
        ModelShapes.Check(Options, _components);
    }

    /// <summary>The text column.</summary>
    public string TextColumnName { get; }

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; }

    /// <summary>The options.</summary>
    public BusTrainerOptions Options { get; }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireText(inputSchema, TextColumnName);
        RequireLabel(inputSchema);
        return OutputShape.Of(inputSchema, TextColumnName, AppendOutputShape);
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">The rows do not fit the task (the message says which), or fewer than two
    /// rows.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = SchemaChecks.RequireText(input.Schema, TextColumnName);
        var data = Read(input, text);
        var (model, result) = BusTrainingRun.Train(data, Options, _components, _logger);
        var (header, weights) = BusInferenceModel.Export(model, data.Task, data.ClassNames, data.Pooling);
        model.Dispose();

        var ml = new MLContext(unchecked((int)Options.Seed));
        var saved = BusPortablePipeline.Build(ml, input, TextColumnName, header, weights, (context, rows) => Outputs(context, rows, data));
        return Create(saved, header, result);
    }

    /// <summary>Checks the label column of a schema shape (throws naming it).</summary>
    private protected abstract void RequireLabel(SchemaShape inputSchema);

    /// <summary>Reads the task's rows (checks the label column of the data's schema first).</summary>
    private protected abstract BusTrainingData Read(IDataView input, DataViewSchema.Column text);

    /// <summary>Appends the task's output columns to the schema-only chain of <see cref="GetOutputSchema"/>.</summary>
    private protected abstract IEstimator<ITransformer> AppendOutputShape(MLContext ml, IEstimator<ITransformer> estimator);

    /// <summary>The fitted output columns over the model's internal columns of <paramref name="rows"/>.</summary>
    private protected abstract ITransformer Outputs(MLContext ml, IDataView rows, BusTrainingData data);

    /// <summary>The fitted transformer around the saved chain.</summary>
    private protected abstract TTransformer Create(ITransformer saved, BusModelHeader header, TrainingResult result);

    internal static string Named(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"Column name must not be empty; got '{value}'.", name) : value;
}
