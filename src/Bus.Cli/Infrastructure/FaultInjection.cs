namespace Bus.Cli.Infrastructure;

/// <summary>
/// Fault injection for the CLI's own tests (as <c>--step-delay-ms</c> simulates a slow device): with the environment
/// variable <c>BUS_FAULT_NAN_AT_STEP=N</c>, <c>bus train</c> fills the model's first parameter with NaN just before step
/// N, so that step's loss is NaN and the non-finite guard stops the run there on every CPU. A divergence forced by a
/// huge learning rate lands on a different step per libtorch kernel and build, or not at all. A pure callback (no
/// trait): it is not part of the run's fingerprint, so a rescue without the variable resumes the same run.
/// </summary>
internal sealed class FaultInjection(long step) : ITrainingAlgorithm
{
    /// <summary>The environment variable that turns the injection on.</summary>
    public const string Variable = "BUS_FAULT_NAN_AT_STEP";

    /// <summary>The injection the environment asks for, or null.</summary>
    public static FaultInjection? FromEnvironment() =>
        long.TryParse(Environment.GetEnvironmentVariable(Variable), out long step) && step > 0 ? new FaultInjection(step) : null;

    /// <inheritdoc />
    public string Name => "fault-injection";

    /// <inheritdoc />
    public AlgorithmTraits Traits => AlgorithmTraits.None;

    /// <inheritdoc />
    public void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.StepStart || state.Meter.Steps + 1 != step) return;
        using var _ = no_grad();
        state.Module.parameters().First().fill_(double.NaN);
    }
}
