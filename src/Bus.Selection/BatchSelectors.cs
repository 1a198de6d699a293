namespace Bus.Selection;

/// <summary>
/// The built-in batch selectors by name (for CLIs and configuration; DI registers the same names). "uniform" is
/// the trainer's own shuffled batches, i.e. no selector (null). RHO-LOSS is not listed: it needs an
/// irreducible-loss cache built for the training set.
/// </summary>
public static class BatchSelectors
{
    /// <summary>Name of the trainer's own shuffled batches (no selector).</summary>
    public const string Uniform = "uniform";

    /// <summary>The registry: "uniform" (null: no selector) and "selective-backprop".</summary>
    public static ComponentRegistry<IBatchSelector?> Registry { get; } = new("batch selector", new Dictionary<string, Func<IBatchSelector?>>
    {
        [Uniform] = () => null,
        ["selective-backprop"] = () => new SelectiveBackpropSelector(),
    });

    /// <summary>Names of every built-in selector, in order ("uniform", "selective-backprop").</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>Creates a selector for one run; null for "uniform" (train on the batches the trainer draws).</summary>
    /// <exception cref="ArgumentException">No selector has that name (the message lists the known ones).</exception>
    public static IBatchSelector? Create(string name) => Registry.Create(name);
}
