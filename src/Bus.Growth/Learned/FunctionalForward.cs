namespace Bus.Growth.Learned;

/// <summary>
/// A model's forward pass as a function of its named weights (TorchSharp has no <c>functional_call</c>): learned growth
/// operators call it with weights built differentiably from their own parameters, so the task loss reaches them.
/// For <c>GrowableTransformer</c> it is <c>FunctionalTransformer.Forward</c>; for another module, write the forward with
/// the tensors looked up by name instead of the module's fields.
/// </summary>
/// <param name="weights">Every parameter of the grown model, by name (the layout's names).</param>
/// <param name="inputs">A batch of inputs as the training data gives them.</param>
/// <returns>The model output the objective's loss takes (e.g. logits).</returns>
public delegate Tensor FunctionalForward(IReadOnlyDictionary<string, Tensor> weights, Tensor inputs);
