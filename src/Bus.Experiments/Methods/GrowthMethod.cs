using Bus.Core.Training;
using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Growth.Operators;
using Bus.Growth.Schedules;

namespace Bus.Experiments.Methods;

/// <summary>
/// Train small, grow, keep training: starts at half size and grows to the full model once
/// <see cref="Fraction"/> of the budget is spent (default <see cref="ComparisonOptions.GrowthFraction"/>, 25%),
/// with a growth operator from <see cref="GrowthOperators"/>. The axis is the operator's: half width (d/2,
/// d_ff/2) when the operator accepts d/2 -> d (e.g. "bus-identity"), else half depth (L/2 layers -> L, e.g. stacking).
/// Named "&lt;operator&gt;" or "&lt;operator&gt;@&lt;fraction&gt;".
/// </summary>
public sealed class GrowthMethod : MethodSpec
{
    /// <summary>Creates the method; the operator must be registered.</summary>
    /// <exception cref="ArgumentException">Unknown operator (the message lists the known ones), or a fraction outside (0, 1).</exception>
    public GrowthMethod(string operatorName, double? fraction = null)
    {
        _ = GrowthOperators.Create(operatorName);
        if (fraction is { } f && !(f > 0 && f < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Growth fraction must be in (0, 1), got {fraction}.");
        OperatorName = operatorName;
        Fraction = fraction;
    }

    /// <summary>Registered operator name.</summary>
    public string OperatorName { get; }

    /// <summary>Budget fraction at which to grow (null: the comparison's).</summary>
    public double? Fraction { get; }

    /// <inheritdoc />
    public override string Name => Fraction is { } f ? $"{OperatorName}@{f.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : OperatorName;

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{Name}: start at half size, grow with `{OperatorName}` at {Fraction ?? options.GrowthFraction:P0} of the budget, optimizer state reset at growth";
    }

    /// <summary>The half-size start the operator accepts for <paramref name="full"/>: half width first, else half depth.</summary>
    /// <exception cref="ArgumentException">The operator accepts neither.</exception>
    public static TransformerConfig SmallConfig(IGrowthOperator op, TransformerConfig full)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(full);
        var problems = new List<string>();
        foreach (var candidate in new Func<TransformerConfig>[]
                 {
                     () => full with { DModel = full.DModel / 2, FeedForwardSize = Math.Max(1, full.FeedForwardSize / 2) },
                     () => full with { Layers = full.Layers / 2 },
                 })
        {
            try
            {
                var small = candidate().Validate();
                op.Validate(small, full);
                return small;
            }
            catch (ArgumentException e) { problems.Add(e.Message); }
        }
        throw new ArgumentException($"Operator '{op.Name}' accepts neither half width nor half depth of d_model={full.DModel}, layers={full.Layers}: {string.Join(" / ", problems)}", nameof(op));
    }

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var op = GrowthOperators.Create(OperatorName);
        var small = SmallConfig(op, builder.FullConfig);
        builder.InitialConfig = small;
        builder.Algorithms.Add(new GrowthSchedule(small, [new GrowthStage(GrowthTrigger.AtBudgetFraction(Fraction ?? builder.Options.GrowthFraction), builder.FullConfig, op)], builder.Seed));
    }
}
