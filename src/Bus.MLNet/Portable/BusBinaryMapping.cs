using Microsoft.ML.Transforms;

namespace Bus.MLNet.Portable;

/// <summary>
/// The binary read-out of a saved Bus pipeline: turns the model's class probabilities (false = class 0, true = class 1)
/// into ML.NET's binary columns. ML.NET finds this factory by its contract name when <c>mlContext.Model.Load</c> reads it.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BusBinaryMappingFactory : CustomMappingFactory<BusBinaryInput, BusBinaryOutput>
{
    /// <summary>Contract name stored in saved models.</summary>
    public const string ContractName = "Bus.MLNet.Binary";

    /// <inheritdoc />
    public override Action<BusBinaryInput, BusBinaryOutput> GetMapping() => Map;

    /// <summary>
    /// Score = log(p_true / p_false) (the logit margin z_true - z_false), Probability = p_true,
    /// PredictedLabel = p_true &gt; p_false (a tie is false, as the multiclass arg-max picks class 0).
    /// </summary>
    public static void Map(BusBinaryInput input, BusBinaryOutput output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        double pFalse = input.Output.Length > 0 ? input.Output[0] : 0.5, pTrue = input.Output.Length > 1 ? input.Output[1] : 0.5;
        const double floor = 1e-45; // the smallest positive float: a saturated probability gives a large finite score
        output.Score = (float)Math.Log(Math.Max(pTrue, floor) / Math.Max(pFalse, floor));
        output.Probability = (float)pTrue;
        output.PredictedLabel = pTrue > pFalse;
    }
}

/// <summary>Input of the binary read-out (infrastructure of the saved model; not for direct use).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BusBinaryInput
{
    /// <summary>The model's padded output: p_false, p_true, then zeros.</summary>
    [ColumnName(BusModelColumns.Output), VectorType(BusModelColumns.OutputLength)]
    public float[] Output { get; set; } = [];
}

/// <summary>Output of the binary read-out (infrastructure of the saved model; not for direct use).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BusBinaryOutput
{
    /// <summary>log(p_true / p_false).</summary>
    [ColumnName(BusModelColumns.BinaryScore)]
    public float Score { get; set; }

    /// <summary>p_true.</summary>
    [ColumnName(BusModelColumns.BinaryProbability)]
    public float Probability { get; set; }

    /// <summary>p_true &gt; p_false.</summary>
    [ColumnName(BusModelColumns.BinaryPredicted)]
    public bool PredictedLabel { get; set; }
}
