namespace Bus.Growth.Learned;

/// <summary>
/// What a learned growth operator produced over named tensors: the materialised weights and the task loss at every
/// operator-training step.
/// </summary>
/// <param name="Weights">Every parameter of the grown model, by the layout's names (detached; the caller disposes them).</param>
/// <param name="StepLosses">Training-batch loss (nats) before each Adam step on the operator parameters; empty when Steps is 0.</param>
public sealed record LearnedTensorGrowth(Dictionary<string, Tensor> Weights, IReadOnlyList<double> StepLosses)
{
    /// <summary>
    /// The operator's loss on the fixed evaluation batch at its initialisation (step 0), every tenth of the steps and after
    /// the last; empty when Steps is 0. The weights are those of the check with the lowest loss (<see cref="KeptStep"/>).
    /// </summary>
    public IReadOnlyList<OperatorEvaluation> Evaluations { get; init; } = [];

    /// <summary>The step whose operator was kept: the earliest check with the lowest evaluation loss (0: the initialisation).</summary>
    public int KeptStep { get; init; }
}
