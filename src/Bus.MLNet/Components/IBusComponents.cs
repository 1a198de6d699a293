namespace Bus.MLNet.Components;

/// <summary>
/// Resolves the pluggable parts of a Bus run by name: growth operators, optimizer factories and batch
/// selectors. <see cref="BusComponents.Default"/> knows the built-ins; with dependency injection,
/// <c>services.AddBus()</c> registers an implementation backed by keyed services.
/// </summary>
public interface IBusComponents
{
    /// <summary>The growth operator registered as <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No operator has that name; the message lists the known names.</exception>
    IGrowthOperator GetGrowthOperator(string name);

    /// <summary>The optimizer factory registered as <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No optimizer has that name; the message lists the known names.</exception>
    IOptimizerFactory GetOptimizer(string name);

    /// <summary>A new batch selector for one run, from the factory registered as <paramref name="name"/> (null for "uniform").</summary>
    /// <exception cref="ArgumentException">No selector has that name; the message lists the known names.</exception>
    IBatchSelector? CreateSelector(string name);
}
