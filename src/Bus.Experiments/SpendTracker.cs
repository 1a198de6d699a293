namespace Bus.Experiments;

/// <summary>Records what the run had spent after each step, to check that it stopped at the first step reaching its budget.</summary>
internal sealed class SpendTracker(BudgetUnit unit) : TrainingCallback
{
    private double _current;

    /// <summary>Spent after the second-to-last step (0 with fewer than two steps).</summary>
    public double Previous { get; private set; }

    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.StepEnd) return;
        Previous = _current;
        _current = state.Meter.Spent(unit);
    }
}
