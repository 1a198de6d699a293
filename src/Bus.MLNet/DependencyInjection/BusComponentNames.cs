namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// The component names registered through <c>AddBus</c> and its builder (used in error messages, and to resolve a
/// name case-insensitively to the key it was registered under).
/// </summary>
public sealed class BusComponentNames
{
    private readonly SortedSet<string> _growth = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedSet<string> _optimizers = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedSet<string> _selectors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registered growth-operator keys.</summary>
    public IReadOnlyCollection<string> GrowthOperators => _growth;

    /// <summary>Registered optimizer keys.</summary>
    public IReadOnlyCollection<string> Optimizers => _optimizers;

    /// <summary>Registered selector keys.</summary>
    public IReadOnlyCollection<string> Selectors => _selectors;

    /// <summary>
    /// The registered key in <paramref name="names"/> equal to <paramref name="name"/> ignoring case, else
    /// <paramref name="name"/> itself.
    /// </summary>
    internal string? Find(IReadOnlyCollection<string> names, string? name) =>
        name is null ? null : names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) ?? name;

    internal void AddGrowthOperator(string name) { _growth.Remove(name); _growth.Add(name); }
    internal void AddOptimizer(string name) { _optimizers.Remove(name); _optimizers.Add(name); }
    internal void AddSelector(string name) { _selectors.Remove(name); _selectors.Add(name); }
}
