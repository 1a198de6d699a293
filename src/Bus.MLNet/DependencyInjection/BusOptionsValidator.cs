using Bus.Core.Growth;
using Bus.Core.Training;
using Bus.MLNet.Components;
using Bus.MLNet.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Bus.Core.Optimization;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Validates <see cref="BusOptions"/> at start-up: every value in range (via <see cref="BusOptions.ToTrainerOptions"/>),
/// every component name registered (case-insensitive), the device available in this process (e.g. "cuda" needs a
/// CUDA libtorch package), and the growth operator able to map the start shape to the final one (e.g. "stack-depth"
/// keeps d_model, so it needs <see cref="BusOptions.StartLayers"/>, not <see cref="BusOptions.StartDModel"/>).
/// Failures name the option, e.g. "Bus:Optimizer".
/// </summary>
public sealed class BusOptionsValidator(IServiceProvider services) : IValidateOptions<BusOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        // every bad value, not only the first: a failing option is reported, set back to its default, and the rest checked again
        var probe = Copy(options);
        BusTrainerOptions? trainerOptions = null;
        for (int round = 0; round <= BusConfigurationBinding.Properties.Count && trainerOptions is null; round++)
        {
            try
            {
                trainerOptions = probe.ToTrainerOptions();
            }
            catch (ArgumentException e)
            {
                failures.Add(Failure(e));
                if (e.ParamName is null || !BusConfigurationBinding.Properties.TryGetValue(e.ParamName, out var bad)) break;
                object? fallback = bad.GetValue(new BusOptions());
                if (Equals(bad.GetValue(probe), fallback)) break; // the default itself fails with the other values: stop here
                bad.SetValue(probe, fallback);
            }
        }
        if (failures.Count > 0) trainerOptions = null;
        var keyed = services.GetService<IServiceProviderIsKeyedService>();
        var names = services.GetService<BusComponentNames>();
        if (keyed is not null && names is not null)
        {
            Check<IGrowthOperator>(keyed, names.Find(names.GrowthOperators, options.GrowthOperator), options.GrowthOperator, nameof(BusOptions.GrowthOperator), "growth operator", names.GrowthOperators, failures);
            Check<IOptimizerFactory>(keyed, names.Find(names.Optimizers, options.Optimizer), options.Optimizer, nameof(BusOptions.Optimizer), "optimizer", names.Optimizers, failures);
            if (options.Selector is not null)
                Check<IBatchSelectorFactory>(keyed, names.Find(names.Selectors, options.Selector), options.Selector, nameof(BusOptions.Selector), "batch selector", names.Selectors, failures);
        }
        if (failures.Count == 0 && trainerOptions is not null && services.GetService<IBusComponents>() is { } components)
        {
            try
            {
                ModelShapes.Check(trainerOptions, components);
            }
            catch (ArgumentException e)
            {
                failures.Add(Failure(e));
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static BusOptions Copy(BusOptions options)
    {
        var copy = new BusOptions();
        foreach (var property in BusConfigurationBinding.Properties.Values) property.SetValue(copy, property.GetValue(options));
        return copy;
    }

    private static string Failure(ArgumentException e) => $"{BusOptions.SectionName}:{BusConfigurationKeysValidator.KeyOf(e.ParamName)}: {e.Message}";

    private static void Check<T>(IServiceProviderIsKeyedService keyed, string? key, string? given, string option, string kind, IEnumerable<string> known, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(key) && keyed.IsKeyedService(typeof(T), key)) return;
        failures.Add($"{BusOptions.SectionName}:{option}: no {kind} is registered as '{given}'. Known: {string.Join(", ", known)}.");
    }
}
