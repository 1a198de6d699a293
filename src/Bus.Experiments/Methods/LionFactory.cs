using Bus.Core.Training;
using Bus.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Experiments.Methods;

/// <summary>Builds <see cref="Lion"/> optimizers for the trainer (name "lion", which keys its cost-table entries).</summary>
/// <param name="Beta1">Interpolation coefficient of the update direction.</param>
/// <param name="Beta2">Decay of the momentum state.</param>
public sealed record LionFactory(double Beta1 = 0.9, double Beta2 = 0.99) : IOptimizerFactory
{
    /// <inheritdoc />
    public string Name => "lion";

    /// <inheritdoc />
    public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) =>
        new Lion(parameters, learningRate, Beta1, Beta2, weightDecay);
}
