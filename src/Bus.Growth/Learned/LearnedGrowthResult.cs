using Bus.Core.Model;

namespace Bus.Growth.Learned;

/// <summary>What a learned growth operator produced: the materialised model and the task loss at every operator-training step.</summary>
/// <param name="Model">A plain <see cref="GrowableTransformer"/> with the target config (the caller disposes it).</param>
/// <param name="StepLosses">Training-batch loss (nats) before each Adam step on the operator parameters; empty when Steps is 0.</param>
public sealed record LearnedGrowthResult(GrowableTransformer Model, IReadOnlyList<double> StepLosses);
