using Bus.Core.Growth;
using Bus.Core.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Bus.Growth.Operators;

/// <summary>
/// The <see cref="GrowableTransformer"/> conveniences of the named-tensor operators: read the model's weights, grow
/// them through its <see cref="ModelLayout"/>, load them into a new model of the target config.
/// </summary>
public static class ModelGrowth
{
    /// <summary>Grows <paramref name="source"/> to <paramref name="target"/> with <paramref name="op"/>; the source is unchanged.</summary>
    public static GrowableTransformer Grow(ITensorGrowthOperator op, GrowableTransformer source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        GrowthValidation.RequireCompatible(source.Config, target);
        var weights = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Dictionary<string, Tensor> grown;
        using (no_grad()) grown = op.Grow(weights, source.Layout, source.Shape, ModelShape.From(target), context);
        try
        {
            var model = new GrowableTransformer(target, source.Device);
            model.LoadWeights(grown);
            return model;
        }
        finally
        {
            foreach (var t in grown.Values) t.Dispose();
        }
    }

    /// <summary>One grown moment tensor, for <see cref="IMomentMappingOperator.MapState"/>: null when the parameter is new.</summary>
    public static Tensor? MapState(ITensorMomentMapping op, string parameterName, MomentKind kind, IReadOnlyDictionary<string, Tensor> smallState,
        TransformerConfig source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(parameterName);
        ArgumentNullException.ThrowIfNull(smallState);
        GrowthValidation.RequireCompatible(source, target);
        var mapped = op.MapMoments(smallState, kind, ModelLayout.For(target), ModelShape.From(source), ModelShape.From(target), context);
        Tensor? result = null;
        foreach (var (name, tensor) in mapped)
        {
            if (name == parameterName) result = tensor;
            else tensor.Dispose();
        }
        return result;
    }
}
