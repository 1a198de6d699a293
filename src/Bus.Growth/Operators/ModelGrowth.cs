namespace Bus.Growth.Operators;

/// <summary>
/// The <see cref="GrowableTransformer"/> convenience of the growth contract: make the plan from the two configs (the one
/// validation), grow the model's weights through it, load them into a new model of the target config, and for masked
/// operators (<see cref="IMaskedGrowthOperator"/>) install the mask at m = 0. Learned operators get the transformer's
/// functional forward and charge their training to the context's meter at the target's cost.
/// </summary>
public static class ModelGrowth
{
    /// <summary>Checks that <paramref name="op"/> can grow a transformer of config <paramref name="source"/> to <paramref name="target"/>
    /// (<see cref="GrowthPlan.Create(IGrowthOperator, TransformerConfig, TransformerConfig)"/>).</summary>
    /// <exception cref="ArgumentException">It cannot (the message names the size and both values).</exception>
    public static void Validate(this IGrowthOperator op, TransformerConfig source, TransformerConfig target) =>
        _ = GrowthPlan.Create(op, source, target);

    /// <summary>Grows <paramref name="source"/> to <paramref name="target"/> with <paramref name="op"/>; the source is unchanged (the
    /// caller disposes it).</summary>
    /// <exception cref="ArgumentException">The configs cannot grow into each other with this operator.</exception>
    public static GrowableTransformer Grow(this IGrowthOperator op, GrowableTransformer source, TransformerConfig target,
        GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        return GrowthPlan.Create(op, source.Config, target).Grow(source, target, context);
    }

    /// <summary>Runs <paramref name="plan"/> (made for <paramref name="source"/>'s config and <paramref name="target"/>) on a
    /// transformer.</summary>
    /// <exception cref="ArgumentException">The plan's shapes are not the source's and the target's.</exception>
    public static GrowableTransformer Grow(this GrowthPlan plan, GrowableTransformer source, TransformerConfig target,
        GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        if (plan.From != source.Shape || plan.To != ModelShape.From(target))
            throw new ArgumentException(
                $"The plan grows {plan.From} -> {plan.To}, not the model's {source.Shape} -> {ModelShape.From(target)}.", nameof(plan));
        var weights = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var grown = plan.Grow(weights, ForTransformer(context, target));
        try
        {
            var model = new GrowableTransformer(target, source.Device);
            model.LoadWeights(grown);
            if (plan.Operator is IMaskedGrowthOperator masked) model.Mask = masked.CreateMask(source.Config, target);
            return model;
        }
        finally
        {
            foreach (var t in grown.Values) t.Dispose();
        }
    }

    /// <summary>The context with the transformer's functional forward and, when it has a meter, charging at <paramref name="target"/>'s
    /// cost.</summary>
    internal static GrowthContext ForTransformer(GrowthContext context, TransformerConfig target) => context with
    {
        Forward = context.Forward ?? ((weights, tokens) => FunctionalTransformer.Forward(weights, target, tokens)),
        ChargeStep = context.ChargeStep ?? (context.Meter is { } meter ? cost => Charge(meter, cost, target) : null),
    };

    private static void Charge(BudgetMeter meter, StepCost cost, TransformerConfig target)
    {
        if (cost.ForwardOnly) meter.ChargeForward(cost, target);
        else meter.ChargeStep(cost, target);
    }
}
