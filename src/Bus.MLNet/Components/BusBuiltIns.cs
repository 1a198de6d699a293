using Bus.Core.Growth;
using Bus.Core.Training;
using Bus.Growth.Operators;
using Bus.Optimizers;

namespace Bus.MLNet.Components;

/// <summary>
/// The one list of built-in components, by name. <see cref="BusComponents.Default"/> and
/// <c>services.AddBus()</c> both read it, so a new operator, selector or optimizer becomes available
/// everywhere by adding one line here.
/// </summary>
public static class BusBuiltIns
{
    /// <summary>Growth operators by name.</summary>
    public static IReadOnlyDictionary<string, Func<IGrowthOperator>> GrowthOperators { get; } =
        new Dictionary<string, Func<IGrowthOperator>>(StringComparer.Ordinal)
        {
            ["bus-identity"] = () => new BusIdentityExpansion(),
        };

    /// <summary>Optimizer factories by name.</summary>
    public static IReadOnlyDictionary<string, Func<IOptimizerFactory>> Optimizers { get; } =
        new Dictionary<string, Func<IOptimizerFactory>>(StringComparer.Ordinal)
        {
            ["adamw"] = () => new AdamWFactory(),
            ["lion"] = () => new LionFactory(),
        };

    /// <summary>Batch-selector factories by name (Bus.Selection's selectors join here).</summary>
    public static IReadOnlyDictionary<string, Func<IBatchSelectorFactory>> Selectors { get; } =
        new Dictionary<string, Func<IBatchSelectorFactory>>(StringComparer.Ordinal);
}
