namespace Bus.Core.Tests.Training;

/// <summary>A training callback that cancels <paramref name="cts"/> at the end of step <paramref name="step"/> (a stop mid-run).</summary>
internal sealed class CancelAt(long step, CancellationTokenSource cts) : TrainingCallback
{
    /// <inheritdoc/>
    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.StepEnd && state.Meter.Steps == step) cts.Cancel();
    }
}
