using Bus.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Optimizers;

/// <summary>Builds <see cref="Lion"/> for the trainer (name "lion"); the trainer supplies learning rate and weight decay.</summary>
/// <param name="Beta1">Interpolation coefficient of the update direction, in [0, 1).</param>
/// <param name="Beta2">Decay of the momentum state, in [0, 1).</param>
public sealed record LionFactory(double Beta1 = 0.9, double Beta2 = 0.99) : IOptimizerFactory
{
    private readonly double _beta1 = LionValidation.Beta(Beta1, nameof(Beta1));
    private readonly double _beta2 = LionValidation.Beta(Beta2, nameof(Beta2));

    /// <summary>Interpolation coefficient of the update direction, in [0, 1).</summary>
    public double Beta1 { get => _beta1; init => _beta1 = LionValidation.Beta(value, nameof(Beta1)); }

    /// <summary>Decay of the momentum state, in [0, 1).</summary>
    public double Beta2 { get => _beta2; init => _beta2 = LionValidation.Beta(value, nameof(Beta2)); }

    /// <inheritdoc />
    public string Name => "lion";

    /// <inheritdoc />
    public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) =>
        new Lion(parameters, learningRate, Beta1, Beta2, weightDecay);
}
