namespace Bus.Experiments.Methods;

/// <summary>
/// A method that only chooses the optimizer, in Composer's shape (each recipe a plain function, one plug-in that runs it):
/// the recipe is the optimizer factory made from the comparison's options and the line that describes it; this class
/// puts the factory into the run. With no factory the run keeps the trainer's AdamW (the baseline).
/// </summary>
public abstract class OptimizerMethod : MethodSpec
{
    private readonly Func<ComparisonOptions, string> _describe;
    private readonly Func<ComparisonOptions, IOptimizerFactory>? _optimizer;

    /// <summary>Creates the method.</summary>
    /// <param name="name">Name on the command line and in tables.</param>
    /// <param name="describe">The method's one-line description for the comparison's options.</param>
    /// <param name="optimizer">The optimizer factory for the comparison's options; null keeps the trainer's AdamW.</param>
    private protected OptimizerMethod(string name, Func<ComparisonOptions, string> describe,
        Func<ComparisonOptions, IOptimizerFactory>? optimizer = null)
    {
        Name = name;
        _describe = describe;
        _optimizer = optimizer;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override AlgorithmTraits Traits => _optimizer is null ? AlgorithmTraits.None : AlgorithmTraits.ChangesOptimizer;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) => _describe(options);

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (_optimizer is not null) builder.Optimizer = _optimizer(builder.Options);
    }
}
