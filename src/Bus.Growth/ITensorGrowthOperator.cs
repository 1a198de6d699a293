using Bus.Core.Growth;
using Bus.Core.Model;
using static TorchSharp.torch;

namespace Bus.Growth;

/// <summary>
/// A growth operator over named tensors: works on any model whose parameters a <see cref="ModelLayout"/> describes.
/// The caller builds the large module and loads the returned tensors into it (PyTorch <c>load_state_dict</c> style).
/// </summary>
public interface ITensorGrowthOperator
{
    /// <summary>Name used in reports and DI keys, e.g. "fpi-width".</summary>
    string Name { get; }

    /// <summary>Checks that this operator can grow a <paramref name="from"/>-shaped model of <paramref name="layout"/> to <paramref name="to"/>; throws <see cref="ArgumentException"/> naming the size otherwise.</summary>
    void Validate(ModelLayout layout, ModelShape from, ModelShape to);

    /// <summary>
    /// The grown parameters, by name, for a model of shape <paramref name="to"/>; <paramref name="weights"/> are checked
    /// against <paramref name="layout"/> first and left unchanged. The caller disposes the returned tensors.
    /// </summary>
    Dictionary<string, Tensor> Grow(IReadOnlyDictionary<string, Tensor> weights, ModelLayout layout, ModelShape from, ModelShape to, GrowthContext context);
}

/// <summary>An <see cref="ITensorGrowthOperator"/> that is linear in the weights and can therefore carry optimizer moments across growth.</summary>
public interface ITensorMomentMapping : ITensorGrowthOperator
{
    /// <summary>
    /// The grown model's moments of <paramref name="kind"/>, by name, from the small model's; parameters with no small
    /// counterpart (new blocks) are absent and keep a fresh optimizer state. The caller disposes the returned tensors.
    /// </summary>
    Dictionary<string, Tensor> MapMoments(IReadOnlyDictionary<string, Tensor> moments, MomentKind kind, ModelLayout layout, ModelShape from, ModelShape to, GrowthContext context);
}
