namespace Bus.MLNet;

/// <summary>
/// Output of <see cref="BusPerCharacterTrainer"/>: adds <see cref="OutputColumnName"/>, a Vector&lt;Single&gt; of
/// the model's <see cref="Bus.Core.Model.TransformerConfig.MaxLength"/> predicted class ids, one per character of the
/// text as the model reads it (BusText.Prepare: unchanged when it is already in the 27-symbol alphabet, else
/// text8-normalised);
/// positions past the text are NaN.
/// </summary>
public sealed class BusPerCharacterTransformer : BusTransformerBase
{
    internal BusPerCharacterTransformer(ITransformer saved, string textColumnName, string outputColumnName, BusModelHeader header,
        IReadOnlyList<MetricsRecord> history, IReadOnlyList<string> log)
        : base(saved, textColumnName, header, history, log)
    {
        OutputColumnName = outputColumnName;
    }

    /// <summary>Column of per-character predictions.</summary>
    public string OutputColumnName { get; }

    /// <summary>Number of classes the model predicts.</summary>
    public int ClassCount => Config.Classes;
}
