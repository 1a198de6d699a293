using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Core.Training;

/// <summary>Builds the optimizer for a model's parameters; called again after growth replaces the model.</summary>
public interface IOptimizerFactory
{
    /// <summary>Name used in reports and DI keys, e.g. "adamw" or "lion".</summary>
    string Name { get; }

    /// <summary>Creates an optimizer over <paramref name="parameters"/> with the given peak learning rate and weight decay.</summary>
    optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay);

    /// <summary>
    /// The optimizer's own peak learning rate given the trainer's <paramref name="trainerLearningRate"/>; the trainer's
    /// schedule multiplies this value every step. Default: the trainer's rate (an optimizer with its own scale, such as
    /// Lion, overrides it).
    /// </summary>
    double PeakLearningRate(double trainerLearningRate) => trainerLearningRate;
}

/// <summary>TorchSharp's AdamW (the default optimizer), its scalars held alive through each step (<see cref="PinnedScalarAdamW"/>).</summary>
public sealed record AdamWFactory(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8) : IOptimizerFactory
{
    /// <inheritdoc />
    public string Name => "adamw";

    /// <inheritdoc />
    public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) =>
        new PinnedScalarAdamW(parameters, learningRate, Beta1, Beta2, Epsilon, weightDecay);
}
