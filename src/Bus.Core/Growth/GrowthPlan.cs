namespace Bus.Core.Growth;

/// <summary>
/// One growth, checked once: an operator, the model's <see cref="ModelLayout"/> and the two shapes. Making a plan runs the
/// checks every operator shares (<see cref="GrowthValidation.RequireCompatible(ModelShape, ModelShape)"/>) and the
/// operator's own (<see cref="IGrowthOperator.Validate"/>), so an invalid growth is refused before any training; the plan
/// then grows weights and maps optimizer moments without checking the shapes again.
/// </summary>
public sealed class GrowthPlan
{
    private GrowthPlan(IGrowthOperator op, ModelLayout layout, ModelShape from, ModelShape to)
    {
        Operator = op;
        Layout = layout;
        From = from;
        To = to;
    }

    /// <summary>The operator.</summary>
    public IGrowthOperator Operator { get; }

    /// <summary>The parameter table of the model (same before and after growth).</summary>
    public ModelLayout Layout { get; }

    /// <summary>Shape of the small model.</summary>
    public ModelShape From { get; }

    /// <summary>Shape of the grown model.</summary>
    public ModelShape To { get; }

    /// <summary>True when the operator maps optimizer moments (<see cref="IGrowthOperator.MapsMoments"/>).</summary>
    public bool MapsMoments => Operator.MapsMoments;

    /// <summary>Checks that <paramref name="op"/> can grow a <paramref name="from"/>-shaped model of <paramref name="layout"/> to <paramref
    /// name="to"/>.</summary>
    /// <exception cref="ArgumentException">The shapes cannot grow into each other (the message names the size and both values).</exception>
    public static GrowthPlan Create(IGrowthOperator op, ModelLayout layout, ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(layout);
        GrowthValidation.RequireCompatible(from, to);
        op.Validate(layout, from, to);
        return new GrowthPlan(op, layout, from, to);
    }

    /// <summary>
    /// The plan of growing a <see cref="GrowableTransformer"/> of config <paramref name="source"/> to <paramref name="target"/>:
    /// the family must match (<see cref="GrowthValidation.RequireSameFamily"/>), then as <see
    /// cref="Create(IGrowthOperator, ModelLayout, ModelShape, ModelShape)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The configs differ in family or cannot grow into each other.</exception>
    public static GrowthPlan Create(IGrowthOperator op, TransformerConfig source, TransformerConfig target)
    {
        GrowthValidation.RequireSameFamily(source, target);
        return Create(op, ModelLayout.For(target), ModelShape.From(source), ModelShape.From(target));
    }

    /// <summary>The grown weights (see <see cref="IGrowthOperator.Grow"/>), after checking <paramref name="weights"/> against the layout at
    /// <see cref="From"/>.</summary>
    /// <exception cref="ArgumentException">A weight is missing, unknown or of the wrong shape (the message names it).</exception>
    public Dictionary<string, Tensor> Grow(IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Layout.Validate(weights, From);
        return Operator.Grow(this, weights, context); // not under no_grad: learned operators train through the grown weights
    }

    /// <summary>The grown moments of <paramref name="kind"/> (see <see cref="IGrowthOperator.MapMoments"/>), after checking them against
    /// the layout.</summary>
    /// <exception cref="NotSupportedException">The operator does not map moments.</exception>
    public Dictionary<string, Tensor> MapMoments(IReadOnlyDictionary<string, Tensor> moments, MomentKind kind, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!MapsMoments) throw new NotSupportedException($"Growth operator '{Operator.Name}' cannot map optimizer moments.");
        Layout.Validate(moments, From);
        using var noGrad = no_grad();
        return Operator.MapMoments(this, moments, kind, context);
    }

    /// <summary>Throws unless this plan was made for <paramref name="op"/> (operators call it first in <c>Grow</c> and
    /// <c>MapMoments</c>).</summary>
    /// <exception cref="ArgumentException">The plan belongs to another operator.</exception>
    public void RequireOperator(IGrowthOperator op)
    {
        if (!ReferenceEquals(op, Operator))
            throw new ArgumentException($"This growth plan was made for operator '{Operator.Name}', not '{op?.Name}'.", "plan");
    }

    /// <summary>The growth in words, e.g. <c>hypercloning: d_model 32 -> 64 ...</c>.</summary>
    public override string ToString() => $"{Operator.Name}: {From} -> {To}";
}
