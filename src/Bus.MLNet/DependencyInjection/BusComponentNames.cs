namespace Bus.MLNet.DependencyInjection;

/// <summary>The component names registered through <c>AddBus</c> and its builder (used in error messages).</summary>
public sealed class BusComponentNames
{
    private readonly SortedSet<string> _growth = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _optimizers = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _selectors = new(StringComparer.Ordinal);

    /// <summary>Registered growth-operator keys.</summary>
    public IReadOnlyCollection<string> GrowthOperators => _growth;

    /// <summary>Registered optimizer keys.</summary>
    public IReadOnlyCollection<string> Optimizers => _optimizers;

    /// <summary>Registered selector keys.</summary>
    public IReadOnlyCollection<string> Selectors => _selectors;

    internal void AddGrowthOperator(string name) => _growth.Add(name);
    internal void AddOptimizer(string name) => _optimizers.Add(name);
    internal void AddSelector(string name) => _selectors.Add(name);
}
