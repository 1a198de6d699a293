using System.Text.Json.Serialization;

namespace Bus.Experiments;

/// <summary>
/// Options of an experiment whose growth arms start at half the full model (<see cref="ComparisonOptions"/>,
/// <see cref="BusProtocol.BusExperimentOptions"/>): the full model as one <see cref="TransformerConfig"/>, checked to halve,
/// and the flat keys that result files written before it still hold.
/// </summary>
public abstract record FullModelOptions
{
    /// <summary>Starts from <paramref name="model"/> (each experiment's default full model).</summary>
    protected FullModelOptions(TransformerConfig model) => Model = model;

    /// <summary>
    /// The full model every arm ends at: width (even: width growth starts at d/2, d_ff/2), depth (depth growth starts at L/2),
    /// heads (dividing d/2 for width growth), d_ff (even) and family. The task sets its vocabulary, output classes, mode and
    /// length (see <see cref="ExperimentTask.Shape"/>). A width or d_ff that cannot be halved throws, naming DModel or
    /// FeedForwardSize.
    /// </summary>
    public TransformerConfig Model
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Model));
            if (value.DModel < 2 || value.DModel % 2 != 0)
                throw new ArgumentOutOfRangeException(nameof(value.DModel), value.DModel,
                    $"Model.DModel must be even and at least 2 (width growth starts at d/2), got {value.DModel}.");
            field = value.FeedForwardSize % 2 == 0 ? value : throw new ArgumentOutOfRangeException(nameof(value.FeedForwardSize),
                value.FeedForwardSize, $"Model.FeedForwardSize must be even (width growth starts at d_ff/2), got {value.FeedForwardSize}.");
        }
    }

    // Files written before Model existed (results.json, study.json) hold the shape in four flat keys: they still load.
    // FfMultiplier (d_ff = multiplier x d_model) was written after DModel, so it reads the width already set.
    [JsonInclude, JsonPropertyName("DModel"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyDModel { get => null; init => Model = value is { } v ? Model with { DModel = v } : Model; }

    [JsonInclude, JsonPropertyName("Layers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyLayers { get => null; init => Model = value is { } v ? Model with { Layers = v } : Model; }

    [JsonInclude, JsonPropertyName("Heads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyHeads { get => null; init => Model = value is { } v ? Model with { Heads = v } : Model; }

    [JsonInclude, JsonPropertyName("FfMultiplier"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? LegacyFfMultiplier
    {
        get => null;
        init => Model = value is { } v ? Model with { FeedForwardSize = v * Model.DModel } : Model;
    }
}
