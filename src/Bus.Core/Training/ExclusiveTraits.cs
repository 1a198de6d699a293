namespace Bus.Core.Training;

/// <summary>The one rule of which algorithms and methods exclude each other: two holders of the same exclusive
/// <see cref="AlgorithmTraits"/>.</summary>
public static class ExclusiveTraits
{
    /// <summary>Every exclusive trait, in the order conflicts are reported.</summary>
    public static IReadOnlyList<AlgorithmTraits> All { get; } =
        [AlgorithmTraits.ReplacesModel, AlgorithmTraits.GatesLayers, AlgorithmTraits.ChangesOptimizer, AlgorithmTraits.SelectsBatches,
            AlgorithmTraits.ScalesLearningRate];

    /// <summary>The part of a run <paramref name="trait"/> takes over: "Growth", "LayerGate", "Optimizer", "BatchSelection" or
    /// "LearningRateScale".</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trait"/> is not one exclusive trait.</exception>
    public static string Slot(AlgorithmTraits trait) => trait switch
    {
        AlgorithmTraits.ReplacesModel => "Growth",
        AlgorithmTraits.GatesLayers => "LayerGate",
        AlgorithmTraits.ChangesOptimizer => "Optimizer",
        AlgorithmTraits.SelectsBatches => "BatchSelection",
        AlgorithmTraits.ScalesLearningRate => "LearningRateScale",
        _ => throw new ArgumentOutOfRangeException(nameof(trait), trait, "Not one exclusive trait."),
    };

    /// <summary>The first exclusive trait held by more than one of <paramref name="holders"/>, with their names in order; null when they
    /// can run together.</summary>
    /// <param name="holders">Name and traits of each algorithm or method of one run.</param>
    public static (AlgorithmTraits Trait, IReadOnlyList<string> Names)? FirstConflict(
        IEnumerable<(string Name, AlgorithmTraits Traits)> holders)
    {
        ArgumentNullException.ThrowIfNull(holders);
        var list = holders.ToList();
        foreach (var trait in All)
        {
            var names = list.Where(h => h.Traits.HasFlag(trait)).Select(h => h.Name).ToList();
            if (names.Count > 1) return (trait, names);
        }
        return null;
    }
}
