namespace Bus.Growth.Schedules;

/// <summary>
/// Gradual middle stacking (MIDAS, Saunshi et al. 2024, arXiv 2409.19044, sec. 3): the growth stages that take a small
/// model to a full one by <see cref="MidasGrowth"/> stages of b blocks each, spread evenly between two budget fractions.
/// </summary>
public static class Midas
{
    /// <summary>
    /// The stages from <paramref name="small"/> to <paramref name="full"/> (same width, full.Layers - small.Layers a
    /// positive multiple of <paramref name="blocksPerStage"/>): n = (full.Layers - small.Layers) / b stages, stage k
    /// (k = 0..n-1) growing to small.Layers + (k + 1) b layers at budget fraction
    /// start + k (end - start) / (n - 1) (one stage: at start). E.g. 2 -> 4 layers, b = 1, fractions 0.25 and 0.5:
    /// 2 -> 3 at 25%, 3 -> 4 at 50%.
    /// </summary>
    /// <param name="small">The config training starts with.</param>
    /// <param name="full">The config training ends with.</param>
    /// <param name="startFraction">Budget fraction of the first stage, in (0, 1).</param>
    /// <param name="endFraction">Budget fraction of the last stage, in [<paramref name="startFraction"/>, 1).</param>
    /// <param name="blocksPerStage">Blocks b added by each stage, &gt;= 1 (default 1).</param>
    /// <param name="op">The operator of every stage; a <see cref="MidasGrowth"/> when null.</param>
    /// <exception cref="ArgumentException">A fraction is out of range, the configs differ in anything but depth, or
    /// the depth difference is not a positive multiple of <paramref name="blocksPerStage"/> (or b exceeds the depth of a stage's
    /// source).</exception>
    public static IReadOnlyList<GrowthStage> Stages(TransformerConfig small, TransformerConfig full, double startFraction,
        double endFraction, int blocksPerStage = 1, IGrowthOperator? op = null)
    {
        ArgumentNullException.ThrowIfNull(small);
        ArgumentNullException.ThrowIfNull(full);
        Guard.InRange(startFraction, 0, 1, nameof(startFraction), minExclusive: true, maxExclusive: true);
        Guard.InRange(endFraction, startFraction, 1, nameof(endFraction), maxExclusive: true);
        Guard.Positive(blocksPerStage, nameof(blocksPerStage));
        if (small with { Layers = full.Layers } != full)
            throw new ArgumentException("MIDAS stages grow depth only: the small and full configs must differ in Layers alone.",
                nameof(full));
        int added = full.Layers - small.Layers;
        if (added <= 0 || added % blocksPerStage != 0)
            throw new ArgumentException(
                $"full.Layers - small.Layers ({full.Layers} - {small.Layers} = {added}) must be a positive multiple of blocksPerStage " +
                    $"({blocksPerStage}).", nameof(blocksPerStage));
        op ??= new MidasGrowth();
        int n = added / blocksPerStage;
        var stages = new List<GrowthStage>(n);
        var from = small;
        for (int k = 0; k < n; k++)
        {
            double fraction = n == 1 ? startFraction : startFraction + k * (endFraction - startFraction) / (n - 1);
            var target = small with { Layers = small.Layers + (k + 1) * blocksPerStage };
            op.Validate(from, target);
            stages.Add(new GrowthStage(GrowthTrigger.AtBudgetFraction(fraction), target, op));
            from = target;
        }
        return stages;
    }
}
