using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bus.Core.Model;

/// <summary>
/// Shape of a <see cref="GrowableTransformer"/>: an immutable, validated record. Every property validates
/// its own value when set; <see cref="Validate"/> checks the rules that involve several properties
/// (heads dividing d_model). Growth operators map one config to a larger one.
/// </summary>
public sealed record TransformerConfig
{
    private readonly int _vocabSize = 27;
    private readonly int _maxLength = 20;
    private readonly int _dModel = 64;
    private readonly int _heads = 1;
    private readonly int _dFf = 256;
    private readonly int _layers = 1;
    private readonly double _dropout;
    private readonly int _classes = 3;

    /// <summary>Number of input symbols (27 for text8: space and a-z).</summary>
    public int VocabSize { get => _vocabSize; init => _vocabSize = Positive(value, nameof(VocabSize)); }

    /// <summary>Longest input sequence; sizes the learned position embedding.</summary>
    public int MaxLength { get => _maxLength; init => _maxLength = Positive(value, nameof(MaxLength)); }

    /// <summary>Width of the residual stream (d_model).</summary>
    public int DModel { get => _dModel; init => _dModel = Positive(value, nameof(DModel)); }

    /// <summary>Number of attention heads; must divide <see cref="DModel"/>.</summary>
    public int Heads { get => _heads; init => _heads = Positive(value, nameof(Heads)); }

    /// <summary>Hidden width of each block's GELU MLP (d_ff).</summary>
    public int DFf { get => _dFf; init => _dFf = Positive(value, nameof(DFf)); }

    /// <summary>Number of pre-LN transformer blocks.</summary>
    public int Layers { get => _layers; init => _layers = Positive(value, nameof(Layers)); }

    /// <summary>Dropout probability in [0, 1) applied to embeddings, attention and MLP outputs while training.</summary>
    public double Dropout
    {
        get => _dropout;
        init => _dropout = double.IsFinite(value) && value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Dropout), value, "Dropout must be in [0, 1).");
    }

    /// <summary>Encoder (bidirectional, per-token classes) or causal decoder (next-token prediction).</summary>
    public ModelMode Mode { get; init; } = ModelMode.Encoder;

    /// <summary>Output classes of the head in encoder mode; decoder mode predicts <see cref="VocabSize"/> symbols.</summary>
    public int Classes { get => _classes; init => _classes = Positive(value, nameof(Classes)); }

    /// <summary>Width of the head's output: <see cref="Classes"/> (encoder) or <see cref="VocabSize"/> (decoder).</summary>
    [JsonIgnore]
    public int OutputSize => Mode == ModelMode.Decoder ? VocabSize : Classes;

    /// <summary>Width of one attention head, d_model / heads.</summary>
    [JsonIgnore]
    public int HeadDim => DModel / Heads;

    /// <summary>Checks the rules that involve several properties; returns this config for chaining.</summary>
    /// <exception cref="ArgumentException">Heads do not divide d_model, or the mode is undefined.</exception>
    public TransformerConfig Validate()
    {
        if (DModel % Heads != 0)
            throw new ArgumentException($"Heads ({Heads}) must divide DModel ({DModel}).", nameof(Heads));
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown model mode.");
        return this;
    }

    /// <summary>The config as JSON (stored in checkpoint metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a config written by <see cref="ToJson"/>; the result is validated.</summary>
    public static TransformerConfig FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        return (JsonSerializer.Deserialize<TransformerConfig>(json, JsonOptions)
                ?? throw new ArgumentException("Config JSON is null.", nameof(json))).Validate();
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
}
