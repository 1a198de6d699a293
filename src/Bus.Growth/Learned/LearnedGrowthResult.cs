namespace Bus.Growth.Learned;

/// <summary>What a learned growth operator produced: the materialised model and the task loss at every operator-training step.</summary>
/// <param name="Model">A plain <see cref="GrowableTransformer"/> with the target config (the caller disposes it).</param>
/// <param name="StepLosses">Training-batch loss (nats) before each Adam step on the operator parameters; empty when Steps is 0.</param>
public sealed record LearnedGrowthResult(GrowableTransformer Model, IReadOnlyList<double> StepLosses)
{
    /// <summary>
    /// The operator's loss on the fixed evaluation batch at its initialisation (step 0), every tenth of the steps and after
    /// the last; empty when Steps is 0. The model holds the weights of the check with the lowest loss (<see cref="KeptStep"/>).
    /// </summary>
    public IReadOnlyList<OperatorEvaluation> Evaluations { get; init; } = [];

    /// <summary>The step whose operator was kept: the earliest check with the lowest evaluation loss (0: the initialisation).</summary>
    public int KeptStep { get; init; }
}
