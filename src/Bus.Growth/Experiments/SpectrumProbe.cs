using Bus.Core.Model;
using Bus.Core.Training;
using static TorchSharp.torch;

namespace Bus.Growth.Experiments;

/// <summary>Records singular values of chosen weight matrices just before the first growth and at the end of a run.</summary>
internal sealed class SpectrumProbe(string arm, long seed, IReadOnlyList<string> parameters, List<WeightSpectrum> sink) : TrainingCallback
{
    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.Evaluated && state.History[^1].Note == "growth 1: before")
            Capture(state.Model, "small (before growth)");
        else if (trainingEvent == TrainingEvent.FitEnd)
            Capture(state.Model, arm == "scratch" ? "scratch (final)" : $"{arm} (final)");
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
