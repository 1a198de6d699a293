using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bus.MLNet.DependencyInjection;

/// <summary><c>services.AddBus(...)</c>: registers Bus components as keyed services and validated <see cref="BusOptions"/>.</summary>
public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// Registers every built-in component (<see cref="BusBuiltIns"/>) as a keyed singleton: <see cref="IGrowthOperator"/>,
    /// <see cref="IOptimizerFactory"/> and <see cref="IBatchSelectorFactory"/>, keyed by name; <see cref="IBusComponents"/>;
    /// <see cref="BusTrainers"/> (ML.NET trainers built from the options, logging through <c>ILogger</c>);
    /// and <see cref="BusOptions"/> validated at startup (<c>ValidateOnStart</c>). TryAdd semantics: a registration
    /// made before this call wins, and calling it twice registers nothing twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional configuration of <see cref="BusOptions"/>.</param>
    /// <returns>A builder to register more components.</returns>
    public static BusBuilder AddBus(this IServiceCollection services, Action<BusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var names = Names(services);
        foreach (var (name, create) in BusBuiltIns.GrowthOperators)
        {
            services.TryAddKeyedSingleton<IGrowthOperator>(name, (_, _) => create());
            names.AddGrowthOperator(name);
        }
        foreach (var (name, create) in BusBuiltIns.Optimizers)
        {
            services.TryAddKeyedSingleton<IOptimizerFactory>(name, (_, _) => create());
            names.AddOptimizer(name);
        }
        foreach (var (name, create) in BusBuiltIns.Selectors)
        {
            services.TryAddKeyedSingleton<IBatchSelectorFactory>(name, (_, _) => create());
            names.AddSelector(name);
        }
        services.TryAddSingleton<IBusComponents, ServiceProviderBusComponents>();
        services.TryAddSingleton<BusTrainers>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BusOptions>, BusOptionsValidator>());
        var options = services.AddOptions<BusOptions>();
        if (configure is not null) options.Configure(configure);
        if (!services.Any(d => d.ServiceType == typeof(BusAddedMarker)))
        {
            services.AddSingleton<BusAddedMarker>();
            options.ValidateOnStart();
        }
        return new BusBuilder(services, names);
    }

    /// <summary>
    /// <see cref="AddBus(IServiceCollection, Action{BusOptions}?)"/>, then binds <see cref="BusOptions"/> from the
    /// "Bus" section of <paramref name="configuration"/>; at start-up, keys of that section that name no option
    /// (e.g. a misspelt "Bus:Epoch") fail validation along with every other invalid value.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration (its "Bus" section is bound).</param>
    /// <returns>A builder to register more components.</returns>
    public static BusBuilder AddBus(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddBus();
        var section = configuration.GetSection(BusOptions.SectionName);
        services.AddOptions<BusOptions>().Configure(options => BusConfigurationBinding.Bind(section, options));
        services.AddSingleton<IOptionsChangeTokenSource<BusOptions>>(new ConfigurationChangeTokenSource<BusOptions>(section));
        services.AddSingleton<IValidateOptions<BusOptions>>(new BusConfigurationKeysValidator(section));
        return builder;
    }

    internal static BusComponentNames Names(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(BusComponentNames)
            && !d.IsKeyedService)?.ImplementationInstance;
        if (existing is BusComponentNames names) return names;
        names = new BusComponentNames();
        services.AddSingleton(names);
        return names;
    }

    private sealed class BusAddedMarker;
}
