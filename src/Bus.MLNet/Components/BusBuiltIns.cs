using Bus.Core.Growth;
using Bus.Core.Training;
using Bus.Optimizers;

namespace Bus.MLNet.Components;

/// <summary>
/// The one list of built-in components, by name. <see cref="BusComponents.Default"/> and
/// <c>services.AddBus()</c> both read it, so a new operator, selector or optimizer becomes available
/// everywhere by adding one line here. Names are matched case-insensitively.
/// </summary>
public static class BusBuiltIns
{
    /// <summary>Growth operators by name: every operator of Bus.Growth's <see cref="Bus.Growth.Operators.GrowthOperators"/> registry.</summary>
    public static IReadOnlyDictionary<string, Func<IGrowthOperator>> GrowthOperators { get; } =
        Bus.Growth.Operators.GrowthOperators.Names.ToDictionary(name => name, name => (Func<IGrowthOperator>)(() => Bus.Growth.Operators.GrowthOperators.Create(name)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Optimizer factories by name.</summary>
    public static IReadOnlyDictionary<string, Func<IOptimizerFactory>> Optimizers { get; } =
        new Dictionary<string, Func<IOptimizerFactory>>(StringComparer.OrdinalIgnoreCase)
        {
            ["adamw"] = () => new AdamWFactory(),
            ["lion"] = () => new LionFactory(),
        };

    /// <summary>
    /// Batch-selector factories by name. RHO-LOSS is not listed: it needs an irreducible-loss cache built for
    /// the training set, so register it with <c>AddSelector("rho-loss", ...)</c> once you have the cache.
    /// </summary>
    public static IReadOnlyDictionary<string, Func<IBatchSelectorFactory>> Selectors { get; } =
        new Dictionary<string, Func<IBatchSelectorFactory>>(StringComparer.OrdinalIgnoreCase)
        {
            ["uniform"] = () => new DelegateBatchSelectorFactory("uniform", () => new Bus.Selection.UniformSelector()),
            ["selective-backprop"] = () => new DelegateBatchSelectorFactory("selective-backprop", () => new Bus.Selection.SelectiveBackpropSelector()),
        };
}
