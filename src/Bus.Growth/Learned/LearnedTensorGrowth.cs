using static TorchSharp.torch;

namespace Bus.Growth.Learned;

/// <summary>What a learned growth operator produced over named tensors: the materialised weights and the task loss at every operator-training step.</summary>
/// <param name="Weights">Every parameter of the grown model, by the layout's names (detached; the caller disposes them).</param>
/// <param name="StepLosses">Training-batch loss (nats) before each Adam step on the operator parameters; empty when Steps is 0.</param>
public sealed record LearnedTensorGrowth(Dictionary<string, Tensor> Weights, IReadOnlyList<double> StepLosses);
