using Bus.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Optimizers;

/// <summary>
/// Builds <see cref="Lion"/> for the trainer (registered under the name "lion"). The trainer passes the
/// peak learning rate and weight decay; the betas come from this factory.
/// </summary>
/// <param name="Beta1">Interpolation coefficient of the update direction, in [0, 1).</param>
/// <param name="Beta2">Decay of the momentum state, in [0, 1).</param>
public sealed record LionFactory(double Beta1 = 0.9, double Beta2 = 0.99) : IOptimizerFactory
{
    /// <inheritdoc />
    public string Name => "lion";

    /// <inheritdoc />
    public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) =>
        new Lion(parameters, learningRate, Beta1, Beta2, weightDecay);
}
