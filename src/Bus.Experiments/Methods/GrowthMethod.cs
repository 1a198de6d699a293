namespace Bus.Experiments.Methods;

/// <summary>
/// Train small, grow, keep training: starts at half size and grows to the full model once <see cref="Fraction"/> of the
/// budget is spent (default <see cref="ComparisonOptions.GrowthFraction"/>, 25%), with a growth operator from
/// <see cref="GrowthOperators"/>, resetting the optimizer state or mapping its moments (<see cref="Policy"/>). The axis is the
/// operator's (<see cref="SmallConfig"/>): half width (d/2, d_ff/2) when the operator accepts d/2 -> d (e.g. "bus-identity"),
/// else half depth (L/2 layers -> L, e.g. stacking), else half width with half the heads (operators that keep head_dim,
/// e.g. HyperCloning). Named by <see cref="GrowthName"/>'s grammar, "&lt;operator&gt;[@fraction][:map]", in the method
/// catalog and the study alike. With <see cref="AtFirstStep"/> it is the study's identity-init control: the half-size
/// model takes one step, then is grown, so the large model starts from the operator's image of an (almost) untrained
/// small model rather than from a trained one.
/// </summary>
public sealed class GrowthMethod : MethodSpec
{
    private readonly string? _name;

    /// <summary>Creates the method; the operator must be registered.</summary>
    /// <exception cref="ArgumentException">Unknown operator (the message lists the known ones), or a fraction outside (0, 1).</exception>
    public GrowthMethod(string operatorName, double? fraction = null)
        : this(new GrowthName(GrowthName.ParseOperator(operatorName) ?? GrowthName.Parse(operatorName).Operator, Checked(fraction)))
    {
    }

    /// <summary>Creates the method from a parsed growth name.</summary>
    /// <param name="growth">Operator, fraction and optimizer-state policy.</param>
    /// <param name="name">The method's name (default: the growth name, e.g. <c>stack-depth@0.5</c>).</param>
    /// <param name="atFirstStep">Grow after the first step (the identity-init control) instead of at a budget fraction.</param>
    public GrowthMethod(GrowthName growth, string? name = null, bool atFirstStep = false)
    {
        ArgumentNullException.ThrowIfNull(growth);
        if (name is not null) ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _ = GrowthOperators.Create(growth.Operator);
        Checked(growth.Fraction);
        Growth = growth;
        _name = name;
        AtFirstStep = atFirstStep;
    }

    /// <summary>Operator, fraction and optimizer-state policy.</summary>
    public GrowthName Growth { get; }

    /// <summary>Registered operator name.</summary>
    public string OperatorName => Growth.Operator;

    /// <summary>Budget fraction at which to grow (null: the comparison's).</summary>
    public double? Fraction => Growth.Fraction;

    /// <summary>What happens to the optimizer state at growth.</summary>
    public OptimizerStatePolicy Policy => Growth.Policy;

    /// <summary>Grow after the first step (the identity-init control) instead of at a budget fraction.</summary>
    public bool AtFirstStep { get; }

    /// <inheritdoc />
    public override string Name => _name ?? Growth.ToString();

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string when = AtFirstStep
            ? "after the first step (identity-init control: the operator applied to an untrained half-size model)"
            : $"at {Fraction ?? options.GrowthFraction:P0} of the budget";
        string state = Policy == OptimizerStatePolicy.MapMoments ? "mapped by the operator" : "reset";
        return $"{Name}: start at half size, grow with `{OperatorName}` {when}, optimizer state {state} at growth";
    }

    /// <summary>
    /// The half-size start <paramref name="op"/> accepts for <paramref name="full"/>: half width first, else half depth, else
    /// half width with half the heads (operators that keep the head dimension, e.g. HyperCloning).
    /// </summary>
    /// <exception cref="ArgumentException">The operator accepts none of them (the messages are joined).</exception>
    public static TransformerConfig SmallConfig(IGrowthOperator op, TransformerConfig full)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(full);
        var candidates = new List<(string What, Func<TransformerConfig> Config)>
        {
            ("half width", () => full with { DModel = full.DModel / 2, FeedForwardSize = Math.Max(1, full.FeedForwardSize / 2) }),
            ("half depth", () => full with { Layers = full.Layers / 2 }),
        };
        if (full.Heads % 2 == 0)
            candidates.Add(("half width with half the heads",
                () => full with { DModel = full.DModel / 2, FeedForwardSize = Math.Max(1,
                    full.FeedForwardSize / 2), Heads = full.Heads / 2 }));
        var problems = new List<string>();
        foreach (var (what, candidate) in candidates)
        {
            try
            {
                var small = candidate().Validate();
                op.Validate(small, full);
                return small;
            }
            catch (ArgumentException e) { problems.Add($"{what}: {e.Message}"); }
        }
        throw new ArgumentException($"Operator '{op.Name}' accepts neither half width nor half depth of {full.Describe()}: "
            + $"{string.Join(" / ", problems)}", nameof(op));
    }

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var op = Growth.CreateOperator();
        var small = SmallConfig(op, builder.FullConfig);
        builder.InitialConfig = small;
        var trigger = AtFirstStep ? GrowthTrigger.AtStep(1) : GrowthTrigger.AtBudgetFraction(Fraction ?? builder.Options.GrowthFraction);
        builder.Algorithms.Add(new GrowthSchedule(small, [new GrowthStage(trigger, builder.FullConfig, op)], builder.Seed, Policy));
    }

    private static double? Checked(double? fraction) =>
        fraction is { } f && !(f > 0 && f < 1)
            ? throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Growth fraction must be in (0, 1), got {fraction}.")
            : fraction;
}
