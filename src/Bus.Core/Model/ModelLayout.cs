namespace Bus.Core.Model;

/// <summary>
/// The one table of a model family's parameters: for every parameter name pattern, its kind and the role of each axis
/// (<see cref="ParameterRule"/>). Growth operators, the moment mapper and initialisation read it instead of knowing
/// names; a user's own model is grown by writing its layout (a list of rules) and a <see cref="ModelShape"/>.
/// <see cref="GptLayout"/> and <see cref="LlamaLayout"/> are Bus's own families.
/// </summary>
public sealed class ModelLayout
{
    private readonly Dictionary<string, ParameterRule> _fixed;
    private readonly List<(string Prefix, string Suffix, ParameterRule Rule)> _perBlock;

    /// <summary>Creates a layout from its rules.</summary>
    /// <param name="name">Family name for messages, e.g. <c>gpt</c>.</param>
    /// <param name="norm">The family's normalisation.</param>
    /// <param name="rules">One rule per parameter pattern; patterns must be distinct and per-block ones hold <c>{i}</c> once.</param>
    /// <param name="rotaryHeads">True when attention rotates q and k by position inside each head (RoPE): head_dim then cannot be
    /// re-mapped.</param>
    /// <exception cref="ArgumentException">No rules, a repeated pattern, or a pattern with more than one <c>{i}</c>.</exception>
    public ModelLayout(string name, NormKind norm, IEnumerable<ParameterRule> rules, bool rotaryHeads = false)
    {
        RotaryHeads = rotaryHeads;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rules);
        Name = name;
        Norm = Enum.IsDefined(norm) ? norm : throw new ArgumentOutOfRangeException(nameof(norm), norm, "Unknown norm kind.");
        Rules = rules.ToList();
        if (Rules.Count == 0) throw new ArgumentException("A layout needs at least one rule.", nameof(rules));
        _fixed = [];
        _perBlock = [];
        foreach (var rule in Rules)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(rules));
            int at = rule.Pattern.IndexOf(ParameterRule.LayerPlaceholder, StringComparison.Ordinal);
            if (at < 0)
            {
                if (!_fixed.TryAdd(rule.Pattern, rule))
                    throw new ArgumentException($"Pattern '{rule.Pattern}' appears twice in layout '{name}'.", nameof(rules));
                continue;
            }
            if (rule.Pattern.IndexOf(ParameterRule.LayerPlaceholder, at + 1, StringComparison.Ordinal) >= 0)
                throw new ArgumentException($"Pattern '{rule.Pattern}' holds {{i}} more than once.", nameof(rules));
            if (_perBlock.Any(p => p.Rule.Pattern == rule.Pattern))
                throw new ArgumentException($"Pattern '{rule.Pattern}' appears twice in layout '{name}'.", nameof(rules));
            _perBlock.Add((rule.Pattern[..at], rule.Pattern[(at + 3)..], rule));
        }
    }

    /// <summary>Family name, e.g. <c>gpt</c>.</summary>
    public string Name { get; }

    /// <summary>The family's normalisation.</summary>
    public NormKind Norm { get; }

    /// <summary>True when attention applies rotary position embeddings within each head (head_dim must not change under growth).</summary>
    public bool RotaryHeads { get; }

    /// <summary>Every rule, in declaration order.</summary>
    public IReadOnlyList<ParameterRule> Rules { get; }

    /// <summary>The layout of a <see cref="GrowableTransformer"/> built from <paramref name="config"/>.</summary>
    public static ModelLayout For(TransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Architecture switch
        {
            ModelArchitecture.Gpt => GptLayout.Layout,
            ModelArchitecture.Llama => config.TieEmbeddings ? LlamaLayout.Tied : LlamaLayout.Untied,
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Architecture, "Unknown model architecture."),
        };
    }

    /// <summary>The rule of parameter <paramref name="name"/> and its block index (-1 for non-block parameters).</summary>
    /// <exception cref="ArgumentException">No rule matches the name.</exception>
    public (ParameterRule Rule, int Layer) Resolve(string name) =>
        TryResolve(name, out var rule, out int layer)
            ? (rule, layer)
            : throw new ArgumentException($"Parameter '{name}' matches no rule of layout '{Name}'.", nameof(name));

    /// <summary>Finds the rule of <paramref name="name"/>; false when none matches.</summary>
    public bool TryResolve(string name, out ParameterRule rule, out int layer)
    {
        ArgumentNullException.ThrowIfNull(name);
        layer = -1;
        if (_fixed.TryGetValue(name, out rule!)) return true;
        foreach (var (prefix, suffix, candidate) in _perBlock)
        {
            if (name.Length <= prefix.Length + suffix.Length || !name.StartsWith(prefix, StringComparison.Ordinal)
                || !name.EndsWith(suffix, StringComparison.Ordinal))
                continue;
            var index = name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length);
            if (index.Length > 0 && index.IndexOfAnyExceptInRange('0', '9') < 0 && int.TryParse(index, out layer))
            {
                rule = candidate;
                return true;
            }
        }
        rule = null!;
        return false;
    }

    /// <summary>The name <paramref name="name"/> has in block <paramref name="layer"/> (unchanged for non-block parameters).</summary>
    public string InLayer(string name, int layer) => Resolve(name).Rule.Name(layer);

    /// <summary>Every parameter name and shape of a model of shape <paramref name="shape"/>, in layout order (blocks in order).</summary>
    public IEnumerable<(string Name, ParameterRule Rule, int Layer, long[] Shape)> Parameters(ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var rule in Rules.Where(r => !r.PerBlock && !IsAfterBlocks(r))) yield return (rule.Name(-1), rule, -1, rule.Shape(shape));
        for (int l = 0; l < shape.Layers; l++)
            foreach (var rule in Rules.Where(r => r.PerBlock)) yield return (rule.Name(l), rule, l, rule.Shape(shape));
        foreach (var rule in Rules.Where(IsAfterBlocks)) yield return (rule.Name(-1), rule, -1, rule.Shape(shape));
    }

    /// <summary>
    /// Refuses, before any growth, named tensors that do not fit this layout at <paramref name="shape"/>: a missing or
    /// unknown parameter, a block index past <see cref="ModelShape.Layers"/>, or a shape that contradicts the rule.
    /// </summary>
    /// <exception cref="ArgumentException">The message names the parameter, its shape and the rule.</exception>
    public void Validate(IReadOnlyDictionary<string, Tensor> weights, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(shape);
        var expected = Parameters(shape).ToDictionary(p => p.Name);
        foreach (var (name, tensor) in weights)
        {
            if (!expected.TryGetValue(name, out var p))
            {
                string why = TryResolve(name, out var rule, out int layer)
                    ? $"block {layer} is past the model's {shape.Layers} layers (rule '{rule.Pattern}')"
                    : "it matches no rule";
                throw new ArgumentException($"Parameter '{name}' [{string.Join(", ", tensor.shape)}] is unknown to layout '{Name}': {why}.",
                    nameof(weights));
            }
            if (!tensor.shape.SequenceEqual(p.Shape))
                throw new ArgumentException(
                    $"Parameter '{name}' has shape [{string.Join(", ", tensor.shape)}], but layout '{Name}' rule '{p.Rule.Pattern}' " +
                    $"{p.Rule.Describe()} gives [{string.Join(", ", p.Shape)}] for {shape}.", nameof(weights));
        }
        foreach (var name in expected.Keys)
            if (!weights.ContainsKey(name))
                throw new ArgumentException(
                    $"Parameter '{name}' (rule '{expected[name].Rule.Pattern}' {expected[name].Rule.Describe()}) is missing from the " +
                    $"weights for layout '{Name}'.", nameof(weights));
    }

    // Non-block parameters that read the residual stream or normalise it come after the blocks (final norm, head).
    private static bool IsAfterBlocks(ParameterRule rule) =>
        !rule.PerBlock && rule.Kind is not ParameterKind.Embedding;
}
