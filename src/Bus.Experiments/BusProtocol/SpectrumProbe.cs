namespace Bus.Experiments.BusProtocol;

/// <summary>
/// Records singular values of chosen weight matrices at the end of a run and, for a growing run, of the small model
/// at the step where growth fires (listed after the growth schedule, so at StepEnd — which runs in reverse order —
/// it sees the small model just before the schedule replaces it).
/// </summary>
internal sealed class SpectrumProbe(string arm, long seed, IReadOnlyList<string> parameters, List<WeightSpectrum> sink,
    double? growthEpoch = null) : TrainingCallback
{
    private bool _capturedSmall;

    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.StepEnd && growthEpoch is { } epoch && !_capturedSmall
            && state.Meter.Spent(BudgetUnit.Epochs) >= epoch - 1e-9)
        {
            _capturedSmall = true;
            Capture(state.Transformer, "small (before growth)");
        }
        else if (trainingEvent == TrainingEvent.FitEnd)
            Capture(state.Transformer, arm == "scratch" ? "scratch (final)" : $"{arm} (final)");
    }

    private void Capture(GrowableTransformer model, string moment)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters().Where(p => parameters.Contains(p.name)))
        {
            using var values = linalg.svdvals(p.detach().to(float64).cpu());
            sink.Add(new WeightSpectrum(arm, seed, moment, name, values.data<double>().ToArray()));
        }
    }
}
