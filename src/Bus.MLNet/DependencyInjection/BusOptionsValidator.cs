using Bus.Core.Growth;
using Bus.Core.Training;
using Bus.MLNet.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Validates <see cref="BusOptions"/>: every value in range (via <see cref="BusOptions.ToTrainerOptions"/>) and
/// every component name registered as a keyed service. Failures name the option, e.g. "Bus:Optimizer".
/// </summary>
public sealed class BusOptionsValidator(IServiceProvider services) : IValidateOptions<BusOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        try
        {
            options.ToTrainerOptions();
        }
        catch (ArgumentException e)
        {
            failures.Add($"{BusOptions.SectionName}:{e.ParamName}: {e.Message}");
        }
        var keyed = services.GetService<IServiceProviderIsKeyedService>();
        var names = services.GetService<BusComponentNames>();
        if (keyed is not null)
        {
            Check<IGrowthOperator>(keyed, options.GrowthOperator, nameof(BusOptions.GrowthOperator), "growth operator", names?.GrowthOperators, failures);
            Check<IOptimizerFactory>(keyed, options.Optimizer, nameof(BusOptions.Optimizer), "optimizer", names?.Optimizers, failures);
            if (options.Selector is not null)
                Check<IBatchSelectorFactory>(keyed, options.Selector, nameof(BusOptions.Selector), "batch selector", names?.Selectors, failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check<T>(IServiceProviderIsKeyedService keyed, string? key, string option, string kind, IEnumerable<string>? known, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(key) && keyed.IsKeyedService(typeof(T), key)) return;
        failures.Add($"{BusOptions.SectionName}:{option}: no {kind} is registered as '{key}'. Known: {string.Join(", ", known ?? [])}.");
    }
}
