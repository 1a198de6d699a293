namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Validates <see cref="BusOptions"/> at start-up (each value was checked when it was set or bound): the rules that
/// involve several options (<see cref="BusOptions.ToTrainerOptions"/>), every component name registered
/// (case-insensitive), the device available in this process (e.g. "cuda" needs a CUDA libtorch package), and the
/// growth operator able to map the start shape to the final one (e.g. "stack-depth" keeps d_model, so it needs
/// <see cref="BusTrainerOptions.StartLayers"/>, not <see cref="BusTrainerOptions.StartDModel"/>).
/// Failures name the option, e.g. "Bus:Optimizer".
/// </summary>
public sealed class BusOptionsValidator(IServiceProvider services) : IValidateOptions<BusOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        BusTrainerOptions? trainerOptions = null;
        try
        {
            trainerOptions = options.ToTrainerOptions();
        }
        catch (ArgumentException e)
        {
            failures.Add(Failure(e));
        }
        var trainer = options.Trainer;
        var keyed = services.GetService<IServiceProviderIsKeyedService>();
        var names = services.GetService<BusComponentNames>();
        if (keyed is not null && names is not null)
        {
            Check<IGrowthOperator>(keyed, names.Find(names.GrowthOperators, trainer.GrowthOperator), trainer.GrowthOperator,
                nameof(BusTrainerOptions.GrowthOperator), "growth operator", names.GrowthOperators, failures);
            Check<IOptimizerFactory>(keyed, names.Find(names.Optimizers, trainer.Optimizer), trainer.Optimizer,
                nameof(BusTrainerOptions.Optimizer), "optimizer", names.Optimizers, failures);
            if (trainer.Selector is not null)
                Check<IBatchSelectorFactory>(keyed, names.Find(names.Selectors, trainer.Selector), trainer.Selector,
                    nameof(BusTrainerOptions.Selector), "batch selector", names.Selectors, failures);
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

    private static string Failure(ArgumentException e) =>
        $"{BusOptions.SectionName}:{BusConfigurationKeys.KeyOf(e.ParamName)}: {e.Message}";

    private static void Check<T>(IServiceProviderIsKeyedService keyed, string? key, string? given, string option, string kind,
        IEnumerable<string> known, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(key) && keyed.IsKeyedService(typeof(T), key)) return;
        failures.Add($"{BusOptions.SectionName}:{option}: no {kind} is registered as '{given}'. Known: {string.Join(", ", known)}.");
    }
}
