namespace Bus.Core.Generation;

/// <summary>
/// How <see cref="TokenGenerator"/> picks tokens: an immutable record whose properties validate themselves when set.
/// <see cref="Temperature"/> 0 is greedy decoding (argmax; <see cref="TopK"/> and <see cref="TopP"/> are then unused);
/// above 0 the logits are divided by it, filtered by top-k and then by top-p (nucleus), and a token is drawn from the
/// softmax with a generator seeded by <see cref="Seed"/>, so equal options give equal tokens.
/// </summary>
public sealed record GenerationOptions
{
    private readonly IReadOnlyList<int> _stopTokens = [];

    /// <summary>
    /// Most tokens to generate (positive, default 100). The prompt and the generated tokens must fit in the model's
    /// context (<see cref="Model.TransformerConfig.MaxLength"/>): generation refuses a longer request up front instead of
    /// sliding a window (see docs/generation.md).
    /// </summary>
    public int MaxNewTokens { get; init => field = Guard.Positive(value, nameof(MaxNewTokens)); } = 100;

    /// <summary>Softmax temperature, finite and &gt;= 0 (default 1); 0 means greedy decoding.</summary>
    public double Temperature { get; init => field = Guard.NonNegative(value, nameof(Temperature)); } = 1.0;

    /// <summary>Keep only the k most likely tokens before sampling (null, the default: no top-k filter); at least 1.</summary>
    public int? TopK { get; init => field = value is { } k ? Guard.Positive(k, nameof(TopK)) : null; }

    /// <summary>Nucleus mass in (0, 1] (default 1: no top-p filter): keep the smallest set of most likely tokens whose probability
    /// reaches it.</summary>
    public double TopP { get; init => field = Guard.InRange(value, 0, 1, nameof(TopP), minExclusive: true); } = 1.0;

    /// <summary>Seed of the sampling generator (default 0); unused in greedy decoding.</summary>
    public long Seed { get; init; }

    /// <summary>Token ids that end generation when produced (not yielded); non-negative, default none.</summary>
    public IReadOnlyList<int> StopTokens
    {
        get => _stopTokens;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(StopTokens));
            foreach (int id in value)
                if (id < 0)
                    throw new ArgumentOutOfRangeException(nameof(StopTokens), id,
                        string.Create(CultureInfo.InvariantCulture, $"StopTokens must hold non-negative token ids, got {id}."));
            _stopTokens = value.ToArray();
        }
    }

    /// <summary>
    /// Use the key/value cache (default true): each new token costs one position's forward. False recomputes the full
    /// forward over the whole sequence for every token (the reference path; same tokens, slower).
    /// </summary>
    public bool UseKeyValueCache { get; init; } = true;

    /// <summary>True when <see cref="Temperature"/> is 0 (argmax decoding).</summary>
    public bool IsGreedy => Temperature == 0;
}
