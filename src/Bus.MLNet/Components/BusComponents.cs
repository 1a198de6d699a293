namespace Bus.MLNet.Components;

/// <summary>
/// A name-to-component registry without dependency injection. <see cref="Default"/> holds
/// <see cref="BusBuiltIns"/>; <see cref="With(string, IGrowthOperator)"/> and its overloads return a copy
/// with one more entry (the registry itself is immutable). Names are matched case-insensitively.
/// </summary>
public sealed class BusComponents : IBusComponents
{
    private readonly IReadOnlyDictionary<string, Func<IGrowthOperator>> _growth;
    private readonly IReadOnlyDictionary<string, Func<IOptimizerFactory>> _optimizers;
    private readonly IReadOnlyDictionary<string, Func<IBatchSelectorFactory>> _selectors;

    private BusComponents(
        IReadOnlyDictionary<string, Func<IGrowthOperator>> growth,
        IReadOnlyDictionary<string, Func<IOptimizerFactory>> optimizers,
        IReadOnlyDictionary<string, Func<IBatchSelectorFactory>> selectors)
    {
        _growth = growth;
        _optimizers = optimizers;
        _selectors = selectors;
    }

    /// <summary>The built-in components (<see cref="BusBuiltIns"/>).</summary>
    public static BusComponents Default { get; } = new(BusBuiltIns.GrowthOperators, BusBuiltIns.Optimizers, BusBuiltIns.Selectors);

    /// <summary>Names of the known growth operators.</summary>
    public IEnumerable<string> GrowthOperatorNames => _growth.Keys.Order(StringComparer.Ordinal);

    /// <summary>Names of the known optimizers.</summary>
    public IEnumerable<string> OptimizerNames => _optimizers.Keys.Order(StringComparer.Ordinal);

    /// <summary>Names of the known batch selectors.</summary>
    public IEnumerable<string> SelectorNames => _selectors.Keys.Order(StringComparer.Ordinal);

    /// <summary>
    /// A copy that also knows <paramref name="growthOperator"/> as <paramref name="name"/> (replacing an entry of that
    /// name).
    /// </summary>
    public BusComponents With(string name, IGrowthOperator growthOperator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(growthOperator);
        return new(Add(_growth, name, () => growthOperator), _optimizers, _selectors);
    }

    /// <summary>A copy that also knows <paramref name="optimizer"/> as <paramref name="name"/> (replacing an entry of that name).</summary>
    public BusComponents With(string name, IOptimizerFactory optimizer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(optimizer);
        return new(_growth, Add(_optimizers, name, () => optimizer), _selectors);
    }

    /// <summary>A copy that also knows <paramref name="selector"/> as <paramref name="name"/> (replacing an entry of that name).</summary>
    public BusComponents With(string name, IBatchSelectorFactory selector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(selector);
        return new(_growth, _optimizers, Add(_selectors, name, () => selector));
    }

    /// <inheritdoc />
    public IGrowthOperator GetGrowthOperator(string name) => Resolve(_growth, name, "growth operator")();

    /// <inheritdoc />
    public IOptimizerFactory GetOptimizer(string name) => Resolve(_optimizers, name, "optimizer")();

    /// <inheritdoc />
    public IBatchSelector? CreateSelector(string name) => Resolve(_selectors, name, "batch selector")().Create();

    private static Dictionary<string, T> Add<T>(IReadOnlyDictionary<string, T> source, string name, T value) =>
        new(source, StringComparer.OrdinalIgnoreCase) { [name] = value };

    internal static T Resolve<T>(IReadOnlyDictionary<string, T> map, string name, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return map.TryGetValue(name, out var value)
            ? value
            : throw UnknownComponentName.Error(kind, name, map.Keys.Order(StringComparer.Ordinal));
    }
}
