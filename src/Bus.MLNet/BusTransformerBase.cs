namespace Bus.MLNet;

/// <summary>
/// A trained Bus model inside an ML.NET pipeline. It is a row-to-row mapper (so <c>PredictionEngine</c> works) and
/// delegates to its saved form, a chain of public ML.NET transforms that carries the weights
/// (docs/mlnet.md, "Save / load"): <c>mlContext.Model.Save</c> writes that chain, and <c>mlContext.Model.Load</c>
/// returns it, with identical predictions, as a plain <see cref="TransformerChain{TLastTransformer}"/>.
/// </summary>
public abstract class BusTransformerBase : ITransformer
{
    private readonly ITransformer _saved;

    private protected BusTransformerBase(ITransformer saved, string textColumnName, BusModelHeader header,
        IReadOnlyList<MetricsRecord> history, IReadOnlyList<string> log)
    {
        _saved = saved;
        TextColumnName = textColumnName;
        Header = header;
        Config = TransformerConfig.FromJson(header.Config);
        History = history;
        Log = log;
    }

    /// <summary>The input text column.</summary>
    public string TextColumnName { get; }

    /// <summary>Shape of the trained (final, grown) model.</summary>
    public TransformerConfig Config { get; }

    /// <summary>Model id, task, label names and tensor shapes of the saved form.</summary>
    public BusModelHeader Header { get; }

    /// <summary>Dev-set metrics recorded during training (growth events carry notes).</summary>
    public IReadOnlyList<MetricsRecord> History { get; }

    /// <summary>The trainer's log lines (growth events among them).</summary>
    public IReadOnlyList<string> Log { get; }

    /// <summary>Always true: the model maps each row independently.</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        SchemaChecks.RequireText(inputSchema, TextColumnName);
        return _saved.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        SchemaChecks.RequireText(inputSchema, TextColumnName);
        return _saved.GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.RequireText(input.Schema, TextColumnName);
        return _saved.Transform(input);
    }

    /// <summary>Writes the saved form (public ML.NET transforms with the weights in a lookup table).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_saved).Save(ctx);
}
