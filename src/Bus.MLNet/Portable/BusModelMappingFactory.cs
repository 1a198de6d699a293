using Microsoft.ML.Transforms;

namespace Bus.MLNet.Portable;

/// <summary>
/// The model mapping of a saved Bus pipeline: rebuilds the model from the weight and header columns
/// (once per model id, then cached) and writes the task's outputs. ML.NET finds this factory by its
/// contract name when <c>mlContext.Model.Load</c> reads a saved Bus model.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BusModelMappingFactory : CustomMappingFactory<BusModelInput, BusModelOutput>
{
    /// <summary>Contract name stored in saved models.</summary>
    public const string ContractName = "Bus.MLNet.Model";

    /// <inheritdoc />
    public override Action<BusModelInput, BusModelOutput> GetMapping() => new BusModelMapping().Map;
}

/// <summary>The constant-key mapping of a saved Bus pipeline (every row gets key 1, the model's row in the lookup tables).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BusModelKeyFactory : CustomMappingFactory<BusKeyInput, BusKeyOutput>
{
    /// <summary>Contract name stored in saved models.</summary>
    public const string ContractName = "Bus.MLNet.ModelKey";

    /// <inheritdoc />
    public override Action<BusKeyInput, BusKeyOutput> GetMapping() => Map;

    /// <summary>Writes key 1.</summary>
    public static void Map(BusKeyInput input, BusKeyOutput output) => output.Key = 1;
}

/// <summary>One model mapping: caches the rebuilt model of the last header it saw.</summary>
internal sealed class BusModelMapping
{
    private readonly object _gate = new();
    private (string Header, BusInferenceModel Model)? _cached;

    public BusModelMapping() { }

    /// <summary>Builds (or reuses) the model and writes probabilities or per-character predictions into the padded output.</summary>
    public void Map(BusModelInput input, BusModelOutput output)
    {
        var model = ModelFor(input);
        var padded = new float[BusModelColumns.OutputLength];
        if (model.Header.Task == BusModelTask.SequenceClassification)
        {
            float[] p = model.ClassProbabilities(input.Text);
            p.CopyTo(padded, 0);
            int best = Array.IndexOf(p, p.Max());
            output.Predicted = model.Header.LabelNames[best];
        }
        else
        {
            float[] predictions = model.CharacterPredictions(input.Text);
            predictions.CopyTo(padded, 0);
            output.Predicted = string.Concat(predictions.TakeWhile(float.IsFinite).Select(v
                => ((int)v).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        output.Output = padded;
    }

    private BusInferenceModel ModelFor(BusModelInput input)
    {
        lock (_gate)
        {
            if (_cached is { } hit && string.Equals(hit.Header, input.Header, StringComparison.Ordinal)) return hit.Model;
            var header = BusModelHeader.FromJson(input.Header);
            var model = new BusInferenceModel(header, input.Weights.DenseValues().ToArray());
            _cached = (input.Header, model);
            return model;
        }
    }
}
