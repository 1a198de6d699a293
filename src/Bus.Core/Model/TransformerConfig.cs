using System.Text.Json.Serialization;

namespace Bus.Core.Model;

/// <summary>
/// Shape of a <see cref="GrowableTransformer"/>: an immutable, validated record. Every property validates
/// its own value when set; <see cref="Validate"/> checks the rules that involve several properties
/// (heads dividing d_model). Growth operators map one config to a larger one.
/// </summary>
public sealed record TransformerConfig
{
    private readonly int _feedForwardSize = 256;
    private readonly double _dropout;
    private readonly int? _kvHeads;
    private readonly double _ropeTheta = 10000;

    /// <summary>Number of input symbols (27 for text8: space and a-z).</summary>
    public int VocabSize { get; init => field = Guard.Positive(value, nameof(VocabSize)); } = 27;

    /// <summary>Longest input sequence; sizes the learned position embedding.</summary>
    public int MaxLength { get; init => field = Guard.Positive(value, nameof(MaxLength)); } = 20;

    /// <summary>Width of the residual stream (d_model).</summary>
    public int DModel { get; init => field = Guard.Positive(value, nameof(DModel)); } = 64;

    /// <summary>Number of attention heads; must divide <see cref="DModel"/>.</summary>
    public int Heads { get; init => field = Guard.Positive(value, nameof(Heads)); } = 1;

    /// <summary>Hidden width of each block's GELU MLP (d_ff).</summary>
    [JsonIgnore]
    public int FeedForwardSize { get => _feedForwardSize; init => _feedForwardSize = Guard.Positive(value, nameof(FeedForwardSize)); }

    // keeps the JSON name DFf (d_ff in snake case: checkpoints, run fingerprints), so old files load and new ones are unchanged
    [JsonInclude]
    // keeps the JSON name
    private int DFf { get => _feedForwardSize; init => _feedForwardSize = Guard.Positive(value, nameof(FeedForwardSize)); }

    /// <summary>Number of pre-LN transformer blocks.</summary>
    public int Layers { get; init => field = Guard.Positive(value, nameof(Layers)); } = 1;

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
    public int Classes { get; init => field = Guard.Positive(value, nameof(Classes)); } = 3;

    /// <summary>Which family of blocks the model is built from (<see cref="ModelArchitecture.Gpt"/> by default; old JSON without it loads
    /// as GPT).</summary>
    public ModelArchitecture Architecture { get; init; } = ModelArchitecture.Gpt;

    /// <summary>
    /// Key/value heads of grouped-query attention (Llama family only); defaults to <see cref="Heads"/> (plain multi-head
    /// attention) and must divide it. Query head h reads key/value head h / (Heads / KvHeads).
    /// </summary>
    [JsonIgnore]
    public int KvHeads { get => _kvHeads ?? Heads; init => _kvHeads = Guard.Positive(value, nameof(KvHeads)); }

    /// <summary>The explicitly set <see cref="KvHeads"/> (null: follows <see cref="Heads"/>); what JSON stores.</summary>
    [JsonInclude, JsonPropertyName("kv_heads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private int? KvHeadsSetting { get => _kvHeads; init => _kvHeads = value is null ? null : Guard.Positive(value.Value, nameof(KvHeads)); }

    /// <summary>
    /// True when the output head reuses the token embedding matrix (logits = h E^T, no separate head parameter);
    /// Llama family in decoder mode only, where the head predicts <see cref="VocabSize"/> symbols.
    /// </summary>
    public bool TieEmbeddings { get; init; }

    /// <summary>Base θ of the rotary position embedding (Llama family): frequency i is θ^(-2i/head_dim); positive, default 10000.</summary>
    public double RopeTheta
    {
        get => _ropeTheta;
        init => _ropeTheta = double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RopeTheta), value, "RopeTheta must be finite and positive.");
    }

    /// <summary>Width of the head's output: <see cref="Classes"/> (encoder) or <see cref="VocabSize"/> (decoder).</summary>
    [JsonIgnore]
    public int OutputSize => Mode == ModelMode.Decoder ? VocabSize : Classes;

    /// <summary>Width of one attention head, d_model / heads.</summary>
    [JsonIgnore]
    public int HeadDim => DModel / Heads;

    /// <summary>This shape at width <paramref name="dModel"/> with d_ff = 4 d_model (GPT-2's ratio, Bus's default).</summary>
    public TransformerConfig WithWidth(int dModel) => this with { DModel = dModel, FeedForwardSize = 4 * dModel };

    /// <summary>Checks the rules that involve several properties; returns this config for chaining.</summary>
    /// <exception cref="ArgumentException">
    /// Heads do not divide d_model, KvHeads do not divide Heads (or differ from Heads in the GPT family), embeddings are
    /// tied outside the Llama decoder, or the mode or architecture is undefined.
    /// </exception>
    public TransformerConfig Validate()
    {
        RequireDivides(Heads, nameof(Heads), DModel, nameof(DModel));
        if (!Enum.IsDefined(Mode))
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown model mode.");
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown model architecture.");
        RequireDivides(KvHeads, nameof(KvHeads), Heads, nameof(Heads));
        if (Architecture == ModelArchitecture.Gpt && KvHeads != Heads)
            throw new ArgumentException(
                $"KvHeads ({KvHeads}) must equal Heads ({Heads}) in the GPT family (grouped-query attention is Llama only).",
                nameof(KvHeads));
        if (Architecture == ModelArchitecture.Llama && HeadDim % 2 != 0)
            throw new ArgumentException(
                $"The Llama family needs an even head dimension for rotary embeddings: DModel ({DModel}) / Heads ({Heads}) = {HeadDim}.",
                nameof(Heads));
        if (TieEmbeddings && (Architecture != ModelArchitecture.Llama || Mode != ModelMode.Decoder))
            throw new ArgumentException(
                $"TieEmbeddings needs the Llama family in decoder mode (the head must predict the vocabulary); got {Architecture} {Mode}.",
                    nameof(TieEmbeddings));
        return this;
    }

    /// <summary>
    /// The model's size in one line, as logs, errors, reports and run fingerprints print it:
    /// <c>d_model=64 d_ff=256 heads=4 layers=2</c>.
    /// </summary>
    public string Describe() => Describe(DModel, FeedForwardSize, Heads, Layers);

    /// <summary>The one format of <see cref="Describe()"/>, shared with <see cref="ModelShape.Describe"/>.</summary>
    internal static string Describe(int dModel, int feedForwardSize, int heads, int layers) =>
        string.Create(CultureInfo.InvariantCulture, $"d_model={dModel} d_ff={feedForwardSize} heads={heads} layers={layers}");

    /// <summary>
    /// The head rule shared by <see cref="Validate"/> and <see cref="ModelShape.Of"/>: <paramref name="divisor"/> (heads)
    /// must divide <paramref name="value"/> (a width, or the query heads for key/value heads).
    /// </summary>
    /// <exception cref="ArgumentException">It does not; the parameter name is <paramref name="divisorName"/>.</exception>
    internal static void RequireDivides(int divisor, string divisorName, int value, string valueName, string hint = "")
    {
        if (value % divisor != 0)
            throw new ArgumentException($"{divisorName} ({divisor}) must divide {valueName} ({value}){hint}.", divisorName);
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
}
