namespace Bus.Core.Growth;

/// <summary>One-shot conveniences over <see cref="GrowthPlan"/>: each makes the plan (the one validation) and runs it.</summary>
public static class GrowthOperatorExtensions
{
    /// <summary><c>GrowthPlan.Create(op, layout, from, to).Grow(weights, context)</c>.</summary>
    public static Dictionary<string, Tensor> Grow(this IGrowthOperator op, IReadOnlyDictionary<string, Tensor> weights, ModelLayout layout,
        ModelShape from, ModelShape to, GrowthContext context) =>
        GrowthPlan.Create(op, layout, from, to).Grow(weights, context);

    /// <summary><c>GrowthPlan.Create(op, layout, from, to).MapMoments(moments, kind, context)</c>.</summary>
    public static Dictionary<string, Tensor> MapMoments(this IGrowthOperator op, IReadOnlyDictionary<string, Tensor> moments,
        MomentKind kind,
        ModelLayout layout, ModelShape from, ModelShape to, GrowthContext context) =>
        GrowthPlan.Create(op, layout, from, to).MapMoments(moments, kind, context);

}
