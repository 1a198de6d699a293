namespace Bus.MLNet.Portable;

/// <summary>Names of the internal columns of the saved Bus pipeline (dropped from its output).</summary>
public static class BusModelColumns
{
    /// <summary>Copy of the input text column under a fixed name.</summary>
    public const string Text = "__BusText";
    /// <summary>Constant key selecting the model's entry in the weight lookup tables.</summary>
    public const string Key = "__BusKey";
    /// <summary>The model's flat weights (from a lookup table stored in the model file).</summary>
    public const string Weights = "__BusWeights";
    /// <summary>The model's JSON header (config, tensor shapes, label names).</summary>
    public const string Header = "__BusModel";
    /// <summary>Padded output vector of the model mapping.</summary>
    public const string Output = "__BusOut";
    /// <summary>Predicted label name (sequence classification).</summary>
    public const string Predicted = "__BusPredicted";

    /// <summary>Binary classification's score log(p_true / p_false), before it is copied to the chosen column.</summary>
    public const string BinaryScore = "__BusScore";
    /// <summary>Binary classification's probability of true, before it is copied to the chosen column.</summary>
    public const string BinaryProbability = "__BusProbability";
    /// <summary>
    /// Binary classification's predicted label (true when p_true &gt; p_false), before it is copied to the chosen column.
    /// </summary>
    public const string BinaryPredicted = "__BusPredictedLabel";

    /// <summary>Length of <see cref="Output"/>: the larger of the class and length limits.</summary>
    public const int OutputLength = 1024;
}

/// <summary>Input of the constant-key mapping (infrastructure of the saved model; not for direct use).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BusKeyInput
{
    /// <summary>The text (unused; the mapping needs one input column).</summary>
    [ColumnName(BusModelColumns.Text)]
    public string Text { get; set; } = "";
}

/// <summary>Output of the constant-key mapping (infrastructure of the saved model; not for direct use).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BusKeyOutput
{
    /// <summary>Always 1: the key of the model's row in the lookup tables.</summary>
    [ColumnName(BusModelColumns.Key)]
    public uint Key { get; set; }
}

/// <summary>Input of the model mapping (infrastructure of the saved model; not for direct use).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BusModelInput
{
    /// <summary>The raw text.</summary>
    [ColumnName(BusModelColumns.Text)]
    public string Text { get; set; } = "";

    /// <summary>The flat weights.</summary>
    [ColumnName(BusModelColumns.Weights)]
    public VBuffer<float> Weights { get; set; }

    /// <summary>The JSON header.</summary>
    [ColumnName(BusModelColumns.Header)]
    public string Header { get; set; } = "";
}

/// <summary>Output of the model mapping (infrastructure of the saved model; not for direct use).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BusModelOutput
{
    /// <summary>Class probabilities (classification) or per-position predicted classes (per-character), zero-padded.</summary>
    [ColumnName(BusModelColumns.Output), VectorType(BusModelColumns.OutputLength)]
    public float[] Output { get; set; } = new float[BusModelColumns.OutputLength];

    /// <summary>Name of the predicted class (classification), or the per-position predictions as digits (per-character).</summary>
    [ColumnName(BusModelColumns.Predicted)]
    public string Predicted { get; set; } = "";
}
