using Bus.Core.Growth;

namespace Bus.Growth.Operators;

/// <summary>The built-in growth operators by name (for CLIs and configuration; DI registers the same names).</summary>
public static class GrowthOperators
{
    private static readonly Dictionary<string, Func<IGrowthOperator>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bus-identity"] = () => new BusIdentityExpansion(),
        ["fpi-width"] = () => new FunctionPreservingWidth(new FunctionPreservingWidthOptions { Mapping = UnitMapping.Random }),
        ["fpi-width-rr"] = () => new FunctionPreservingWidth(new FunctionPreservingWidthOptions { Mapping = UnitMapping.RoundRobin }),
        ["hypercloning"] = () => new HyperCloning(),
        ["spectral"] = () => new SpectralGrowth(),
        ["stack-depth"] = () => new StackingDepthGrowth(),
        ["interpolate-depth"] = () => new InterpolationDepthGrowth(),
        ["fpi-depth-top"] = () => new FunctionPreservingDepth(DepthPlacement.Top),
        ["fpi-depth-interleave"] = () => new FunctionPreservingDepth(DepthPlacement.Interleave),
        ["ligo"] = () => new Learned.LigoOperator(),
        ["mango"] = () => new Learned.MangoOperator(),
    };

    /// <summary>Names of every built-in operator.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Creates the operator called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No operator has that name (the message lists the known ones).</exception>
    public static IGrowthOperator Create(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new ArgumentException($"Unknown growth operator '{name}'. Known: {string.Join(", ", Factories.Keys)}.", nameof(name));
    }
}
