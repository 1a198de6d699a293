namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// The options of <c>services.AddBus(...)</c>: one <see cref="BusTrainerOptions"/> (the record the ML.NET trainers
/// take, model shape in <see cref="BusTrainerOptions.Model"/>), bound from the configuration section "Bus" by
/// <c>services.AddBus(configuration)</c> with flat keys (<c>Bus:DModel</c>, <c>Bus:Epochs</c>, ...;
/// <see cref="BusConfigurationBinding"/>) and checked at start-up by <see cref="BusOptionsValidator"/>.
/// In code: <c>services.AddBus(o =&gt; o.Trainer = o.Trainer with { Epochs = 5 })</c>.
/// </summary>
public sealed class BusOptions
{
    /// <summary>Configuration section conventionally bound to these options.</summary>
    public const string SectionName = "Bus";

    /// <summary>The trainer options (<see cref="BusTrainerOptions.Defaults"/> until configured).</summary>
    public BusTrainerOptions Trainer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value), "Trainer options must not be null.");
    } = BusTrainerOptions.Defaults;

    /// <summary>The trainer options, validated (the rules that involve several options).</summary>
    /// <exception cref="ArgumentException">A rule fails (the parameter name is the option's name).</exception>
    public BusTrainerOptions ToTrainerOptions() => Trainer.Validate();
}
