using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Core.Training;
using Bus.Experiments.Methods;
using Bus.Growth.Operators;
using Bus.Growth.Schedules;

namespace Bus.Experiments.Study;

/// <summary>
/// A growth arm of the study: <see cref="GrowthMethod"/>'s half-size start and operator, plus the optimizer-state
/// policy at growth (reset, or moments mapped by the operator). With <see cref="AtFirstStep"/> it is the
/// identity-init control: the half-size model takes one step, then is grown, so the large model starts from the
/// operator's image of an (almost) untrained small model rather than from a trained one.
/// </summary>
public sealed class StudyGrowthMethod : MethodSpec
{
    /// <summary>Creates the arm; the operator must be registered.</summary>
    /// <exception cref="ArgumentException">Unknown operator, or a fraction outside (0, 1).</exception>
    public StudyGrowthMethod(string name, string operatorName, double? fraction, OptimizerStatePolicy policy, bool atFirstStep = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _ = GrowthOperators.Create(operatorName);
        if (fraction is { } f && !(f > 0 && f < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Growth fraction must be in (0, 1), got {fraction}.");
        Name = name;
        OperatorName = operatorName;
        Fraction = fraction;
        Policy = policy;
        AtFirstStep = atFirstStep;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>Registered operator name.</summary>
    public string OperatorName { get; }

    /// <summary>Budget fraction at which to grow (null: the comparison's).</summary>
    public double? Fraction { get; }

    /// <summary>What happens to the optimizer state at growth.</summary>
    public OptimizerStatePolicy Policy { get; }

    /// <summary>Grow after the first step (the identity-init control) instead of at a budget fraction.</summary>
    public bool AtFirstStep { get; }

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string when = AtFirstStep ? "after the first step (identity-init control: the operator applied to an untrained half-size model)" : $"at {Fraction ?? options.GrowthFraction:P0} of the budget";
        return $"{Name}: start at half size, grow with `{OperatorName}` {when}, optimizer state {(Policy == OptimizerStatePolicy.MapMoments ? "mapped by the operator" : "reset")} at growth";
    }

    /// <summary>
    /// The half-size start <paramref name="op"/> accepts for <paramref name="full"/>: <see cref="GrowthMethod.SmallConfig"/>'s
    /// half width or half depth, else half width with half the heads (operators that keep the head dimension, e.g. HyperCloning).
    /// </summary>
    /// <exception cref="ArgumentException">The operator accepts none of them (the messages are joined).</exception>
    public static TransformerConfig SmallConfig(IGrowthOperator op, TransformerConfig full)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(full);
        try { return GrowthMethod.SmallConfig(op, full); }
        catch (ArgumentException first) when (full.Heads % 2 == 0)
        {
            var halfHeads = full with { DModel = full.DModel / 2, FeedForwardSize = Math.Max(1, full.FeedForwardSize / 2), Heads = full.Heads / 2 };
            try
            {
                halfHeads = halfHeads.Validate();
                op.Validate(halfHeads, full);
                return halfHeads;
            }
            catch (ArgumentException second) { throw new ArgumentException($"{first.Message} / half width with half the heads: {second.Message}", nameof(op), second); }
        }
    }

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var op = GrowthOperators.Create(OperatorName);
        var small = SmallConfig(op, builder.FullConfig);
        builder.InitialConfig = small;
        var trigger = AtFirstStep ? GrowthTrigger.AtStep(1) : GrowthTrigger.AtBudgetFraction(Fraction ?? builder.Options.GrowthFraction);
        builder.Algorithms.Add(new GrowthSchedule(small, [new GrowthStage(trigger, builder.FullConfig, op)], builder.Seed, Policy));
    }
}
