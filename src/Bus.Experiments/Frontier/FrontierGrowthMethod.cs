namespace Bus.Experiments.Frontier;

/// <summary>A growth arm of the frontier study: a study growth method plus, optionally, a post-growth learning-rate schedule (re-warm-up or
/// LEMON's faster decay).</summary>
public sealed class FrontierGrowthMethod(string name, MethodSpec growth, PostGrowthSchedule schedule) : MethodSpec
{
    private readonly MethodSpec _growth = growth ?? throw new ArgumentNullException(nameof(growth));

    /// <inheritdoc />
    public override string Name { get; } = string.IsNullOrWhiteSpace(name)
        ? throw new ArgumentException("A method needs a name.", nameof(name)) : name;

    /// <summary>What the learning rate does after growth.</summary>
    public PostGrowthSchedule Schedule { get; } = Enum.IsDefined(schedule) ? schedule
        : throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown schedule.");

    /// <inheritdoc />
    public override AlgorithmTraits Traits =>
        _growth.Traits | (Schedule == PostGrowthSchedule.Continue ? AlgorithmTraits.None : AlgorithmTraits.ScalesLearningRate);

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) => _growth.Describe(options) + Schedule switch
    {
        PostGrowthSchedule.Rewarm => "; learning rate re-warmed from 0 over 5% of the budget after growth",
        PostGrowthSchedule.Lemon =>
            "; learning rate restarted at the peak after growth and decayed linearly to 0 at the budget end (LEMON)",
        _ => "",
    };

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _growth.Configure(builder);
        if (Schedule != PostGrowthSchedule.Continue) builder.Algorithms.Add(new PostGrowthLearningRate(Schedule));
    }
}
