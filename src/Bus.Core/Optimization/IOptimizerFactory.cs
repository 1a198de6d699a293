namespace Bus.Core.Optimization;

/// <summary>Builds the optimizer for a model's parameters; called again after growth replaces the model.</summary>
public interface IOptimizerFactory
{
    /// <summary>Name used in reports and DI keys, e.g. "adamw" or "lion".</summary>
    string Name { get; }

    /// <summary>
    /// Creates an optimizer over <paramref name="parameters"/> for the trainer's peak learning rate and weight decay.
    /// The factory is the one owner of the peak: whatever rate it writes into each param group here (the trainer's
    /// <paramref name="learningRate"/> itself, or its own documented scale of it, e.g. Lion's / 3) is that group's
    /// peak, and the trainer sets each step's rate to that peak x the schedule's multiplier x
    /// <see cref="TrainingState.LearningRateScale"/>. The trainer passes its <see cref="TrainerOptions.LearningRate"/>
    /// every time, also when it rebuilds the optimizer after growth, so the peak stays the same.
    /// </summary>
    optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay);

    /// <summary>
    /// <see cref="Create(IEnumerable{Parameter}, double, double)"/> with each parameter's name (<c>named_parameters()</c>),
    /// for optimizers that treat parameters by role (Muon: hidden matrices vs embeddings and head). The trainer and
    /// growth call this one; by default it ignores the names.
    /// </summary>
    optim.Optimizer Create(IEnumerable<(string Name, Parameter Parameter)> parameters, double learningRate, double weightDecay) =>
        Create(parameters.Select(p => p.Parameter), learningRate, weightDecay);
}

/// <summary>TorchSharp's AdamW (the default optimizer), its scalars held alive through each step
/// (<see cref="StepScalarAdamW"/>).</summary>
public sealed record AdamWFactory(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8) : IOptimizerFactory
{
    /// <inheritdoc />
    public string Name => "adamw";

    /// <inheritdoc />
    public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) =>
        new StepScalarAdamW(parameters, learningRate, Beta1, Beta2, Epsilon, weightDecay);
}
