using Bus.Optimizers;
using Bus.Selection;

namespace Bus.MLNet.Components;

/// <summary>
/// The built-in components, by name, as read from the packages' registries (<see cref="Bus.Growth.Operators.GrowthOperators"/>,
/// <see cref="OptimizerFactories"/>, <see cref="BatchSelectors"/>). <see cref="BusComponents.Default"/> and
/// <c>services.AddBus()</c> both read it, so a component added to its package's registry becomes available
/// everywhere. Names are matched case-insensitively.
/// </summary>
public static class BusBuiltIns
{
    /// <summary>
    /// Growth operators by name: every operator of Bus.Growth's <see cref="Bus.Growth.Operators.GrowthOperators"/>
    /// registry.
    /// </summary>
    public static IReadOnlyDictionary<string,
        Func<IGrowthOperator>> GrowthOperators { get; } = Factories(Bus.Growth.Operators.GrowthOperators.Registry);

    /// <summary>Optimizer factories by name: every optimizer of Bus.Optimizers' <see cref="OptimizerFactories"/> registry.</summary>
    public static IReadOnlyDictionary<string, Func<IOptimizerFactory>> Optimizers { get; } = Factories(OptimizerFactories.Registry);

    /// <summary>
    /// Batch-selector factories by name: every selector of Bus.Selection's <see cref="BatchSelectors"/> registry
    /// ("uniform" creates no selector). RHO-LOSS is not listed: it needs an irreducible-loss cache built for
    /// the training set, so register it with <c>AddSelector("rho-loss", ...)</c> once you have the cache.
    /// </summary>
    public static IReadOnlyDictionary<string, Func<IBatchSelectorFactory>> Selectors { get; } =
        Factories(BatchSelectors.Registry).ToDictionary(
            named => named.Key, named => (Func<IBatchSelectorFactory>)(() => new DelegateBatchSelectorFactory(named.Key,
                named.Value)), StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, Func<T>> Factories<T>(ComponentRegistry<T> registry) =>
        registry.Names.ToDictionary(name => name, name => (Func<T>)(() => registry.Create(name)), StringComparer.OrdinalIgnoreCase);
}
