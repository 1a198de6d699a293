using System.Runtime.CompilerServices;

namespace Bus.Growth.Operators;

/// <summary>The checks the operators make first: their arguments in <c>Grow</c> and <c>MapMoments</c>, the sizes they keep.</summary>
internal static class GrowthArguments
{
    /// <summary>Non-null plan and tensors, and a plan made for <paramref name="op"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null (named as the caller names it).</exception>
    /// <exception cref="ArgumentException">The plan belongs to another operator.</exception>
    public static void Require(this GrowthPlan plan, IGrowthOperator op, IReadOnlyDictionary<string, Tensor> tensors,
        [CallerArgumentExpression(nameof(tensors))] string tensorsName = "")
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tensors, tensorsName);
        plan.RequireOperator(op);
    }

    /// <summary>Non-null plan, tensors and context, and a plan made for <paramref name="op"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null (named as the caller names it).</exception>
    /// <exception cref="ArgumentException">The plan belongs to another operator.</exception>
    public static void Require(this GrowthPlan plan, IGrowthOperator op, IReadOnlyDictionary<string, Tensor> tensors,
        GrowthContext context, [CallerArgumentExpression(nameof(tensors))] string tensorsName = "")
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tensors, tensorsName);
        ArgumentNullException.ThrowIfNull(context);
        plan.RequireOperator(op);
    }

    /// <summary>Width-only growth: the number of layers stays.</summary>
    /// <exception cref="ArgumentException">The layers differ.</exception>
    public static void SameLayers(ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        GrowthValidation.Same(from.Layers, to.Layers, nameof(TransformerConfig.Layers));
    }

    /// <summary>Depth-only growth: d_model, the feed-forward size, the heads and the key/value heads stay.</summary>
    /// <exception cref="ArgumentException">One of them differs (the message names it).</exception>
    public static void SameWidth(ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        GrowthValidation.Same(from.DModel, to.DModel, nameof(TransformerConfig.DModel));
        GrowthValidation.Same(from.FeedForwardSize, to.FeedForwardSize, nameof(TransformerConfig.FeedForwardSize));
        GrowthValidation.Same(from.Heads, to.Heads, nameof(TransformerConfig.Heads));
        GrowthValidation.Same(from.KvHeads, to.KvHeads, nameof(TransformerConfig.KvHeads));
    }
}
