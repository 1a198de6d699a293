using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bus.MLNet.Portable;

/// <summary>
/// Everything besides the weights that a saved Bus model needs: a unique id, the task, the model config
/// (JSON), the label names and the canonical name and shape of each tensor in the flat weight vector.
/// </summary>
/// <param name="ModelId">Unique id of the trained model (caches key on it).</param>
/// <param name="Task">What the model predicts.</param>
/// <param name="Config">The model's <see cref="TransformerConfig"/> as JSON.</param>
/// <param name="LabelNames">Class names in key order (classification) or class ids (per-character).</param>
/// <param name="Tensors">Parameter names and shapes, in the order of the flat weight vector.</param>
public sealed record BusModelHeader(string ModelId, BusModelTask Task, string Config, IReadOnlyList<string> LabelNames,
    IReadOnlyList<BusTensorEntry> Tensors)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The header as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a header written by <see cref="ToJson"/>.</summary>
    /// <exception cref="ArgumentException">The JSON is empty or not a Bus model header.</exception>
    public static BusModelHeader FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        try
        {
            return JsonSerializer.Deserialize<BusModelHeader>(json, JsonOptions)
                   ?? throw new ArgumentException("The Bus model header is null.", nameof(json));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not a Bus model header: {e.Message}", nameof(json), e);
        }
    }

    /// <summary>
    /// Read-out of a sequence classifier. Headers written before pooling existed have no such field and read as
    /// <see cref="SequencePooling.PerToken"/>, the head those models were trained with.
    /// </summary>
    public SequencePooling Pooling { get; init; } = SequencePooling.PerToken;

    /// <summary>Total number of floats the weight vector must hold.</summary>
    public long WeightCount => Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
}

/// <summary>One tensor of the flat weight vector.</summary>
/// <param name="Name">Canonical parameter name (<see cref="ParameterNames"/>).</param>
/// <param name="Shape">Its shape.</param>
public sealed record BusTensorEntry(string Name, long[] Shape);
