using Microsoft.Extensions.Logging.Abstractions;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// The ML.NET trainers configured by dependency injection: <see cref="BusOptions"/> (validated at start-up), the
/// registered components, and an <see cref="ILogger{TCategoryName}"/> that receives training progress (each dev
/// evaluation) and growth events. Registered by <c>services.AddBus(...)</c>.
/// </summary>
public sealed class BusTrainers(IOptions<BusOptions> options, IBusComponents components, ILoggerFactory? loggerFactory = null)
{
    private readonly ILoggerFactory _loggers = loggerFactory ?? NullLoggerFactory.Instance;

    /// <summary>The configured options, as the trainers take them.</summary>
    public BusTrainerOptions Options => options.Value.ToTrainerOptions();

    /// <summary>A sequence classifier (see <see cref="BusSequenceClassificationTrainer"/>).</summary>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    public BusSequenceClassificationTrainer SequenceClassification(string labelColumnName = "Label", string textColumnName = "Text") =>
        new(labelColumnName, textColumnName, Options, components, logger: _loggers.CreateLogger<BusSequenceClassificationTrainer>());

    /// <summary>A binary classifier of a Boolean label (see <see cref="BusBinaryClassificationTrainer"/>).</summary>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    public BusBinaryClassificationTrainer BinaryClassification(string labelColumnName = "Label", string textColumnName = "Text") =>
        new(labelColumnName, textColumnName, Options, components, logger: _loggers.CreateLogger<BusBinaryClassificationTrainer>());

    /// <summary>A per-character trainer (see <see cref="BusPerCharacterTrainer"/>).</summary>
    /// <param name="outputColumnName">Output column of per-character predictions.</param>
    /// <param name="textColumnName">String column holding the text.</param>
    /// <param name="labelColumnName">Vector&lt;Single&gt; column of per-character class ids.</param>
    public BusPerCharacterTrainer PerCharacter(string outputColumnName = "PredictedLabels", string textColumnName = "Text",
        string labelColumnName = "Labels") =>
        new(outputColumnName, textColumnName, labelColumnName, Options, components, _loggers.CreateLogger<BusPerCharacterTrainer>());
}
