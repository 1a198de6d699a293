namespace Bus.MLNet.DependencyInjection;

/// <summary><see cref="IBusComponents"/> backed by keyed services (the key is the component name, matched case-insensitively).</summary>
public sealed class ServiceProviderBusComponents(IServiceProvider services, BusComponentNames names) : IBusComponents
{
    /// <inheritdoc />
    public IGrowthOperator GetGrowthOperator(string name) =>
        Get<IGrowthOperator>(name, "growth operator", names.GrowthOperators);

    /// <inheritdoc />
    public IOptimizerFactory GetOptimizer(string name) =>
        Get<IOptimizerFactory>(name, "optimizer", names.Optimizers);

    /// <inheritdoc />
    public IBatchSelector? CreateSelector(string name) =>
        Get<IBatchSelectorFactory>(name, "batch selector", names.Selectors).Create();

    private T Get<T>(string name, string kind, IReadOnlyCollection<string> known) where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return services.GetKeyedService<T>(names.Find((IReadOnlyCollection<string>)known, name))
            ?? throw UnknownComponentName.Error(kind, name, known);
    }
}
