namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Registers more Bus components by name after <c>AddBus</c>; a name registered here replaces an earlier one (names
/// compare case-insensitively).
/// </summary>
public sealed class BusBuilder
{
    private readonly BusComponentNames _names;

    internal BusBuilder(IServiceCollection services, BusComponentNames names)
    {
        Services = services;
        _names = names;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers <typeparamref name="T"/> as the growth operator <paramref name="name"/> (keyed singleton).</summary>
    public BusBuilder AddGrowthOperator<T>(string name) where T : class, IGrowthOperator
    {
        Replace<IGrowthOperator>(name);
        Services.AddKeyedSingleton<IGrowthOperator, T>(name);
        _names.AddGrowthOperator(name);
        return this;
    }

    /// <summary>Registers <paramref name="factory"/> as the optimizer <paramref name="name"/> (keyed singleton).</summary>
    public BusBuilder AddOptimizer(string name, Func<IServiceProvider, IOptimizerFactory> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Replace<IOptimizerFactory>(name);
        Services.AddKeyedSingleton(name, (sp, _) => factory(sp));
        _names.AddOptimizer(name);
        return this;
    }

    /// <summary>
    /// Registers <paramref name="factory"/>, called once per training run, as the batch selector <paramref name="name"/>.
    /// </summary>
    public BusBuilder AddSelector(string name, Func<IServiceProvider, IBatchSelector> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Replace<IBatchSelectorFactory>(name);
        Services.AddKeyedSingleton<IBatchSelectorFactory>(name, (sp, _) => new DelegateBatchSelectorFactory(name, () => factory(sp)));
        _names.AddSelector(name);
        return this;
    }

    private void Replace<T>(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var descriptor in Services.Where(d => d.ServiceType == typeof(T) && d.IsKeyedService && d.ServiceKey is string key
            && string.Equals(key, name, StringComparison.OrdinalIgnoreCase)).ToList())
            Services.Remove(descriptor);
    }
}
