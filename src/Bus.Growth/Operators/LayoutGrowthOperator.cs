using Bus.Core.Growth;
using Bus.Core.Model;
using static TorchSharp.torch;

namespace Bus.Growth.Operators;

/// <summary>
/// Base of the operators over named tensors: the <see cref="IGrowthOperator"/> members are thin conveniences that
/// check the two configs belong to one family, then grow the model's weights through its <see cref="ModelLayout"/>.
/// </summary>
public abstract class LayoutGrowthOperator : IGrowthOperator, ITensorGrowthOperator
{
    /// <inheritdoc cref="IGrowthOperator.Name" />
    public abstract string Name { get; }

    /// <inheritdoc />
    public void Validate(TransformerConfig source, TransformerConfig target)
    {
        GrowthValidation.RequireCompatible(source, target);
        Validate(ModelLayout.For(target), ModelShape.From(source), ModelShape.From(target));
    }

    /// <inheritdoc />
    public abstract void Validate(ModelLayout layout, ModelShape from, ModelShape to);

    /// <inheritdoc />
    public virtual GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context) =>
        ModelGrowth.Grow(this, source, target, context);

    /// <inheritdoc />
    public abstract Dictionary<string, Tensor> Grow(IReadOnlyDictionary<string, Tensor> weights, ModelLayout layout, ModelShape from, ModelShape to, GrowthContext context);
}
