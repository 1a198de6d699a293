namespace Bus.Experiments;

/// <summary>
/// Calibrates the reference-time cost model of a comparison ONCE, before any run (NTNG's RST tables, measured
/// rather than hand-entered): for the full width d and for d/2, every layer count 1..L, batch sizes B and 2B
/// (RHO-LOSS's n_B at a 0.5 selection fraction; others interpolated or extrapolated linearly), AdamW and Lion steps and forward-only
/// scoring passes. On a shared machine a median is still hit by other processes, so each entry is the minimum over <see cref="Passes"/>
/// calibrations (each a median of repeats); if the minima still fall with more layers or a larger batch, each entry is raised to the
/// largest cost of the entries it must not undercut (a monotone upper envelope) and a note says so.
/// </summary>
public static class ComparisonCalibration
{
    /// <summary>Calibration passes whose per-entry minimum is kept.</summary>
    public const int Passes = 3;

    /// <summary>Measures the tables; returns the model and notes about any repaired entries.</summary>
    public static (WidthKeyedCostModel Model, IReadOnlyList<string> Notes) Calibrate(TransformerConfig full, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        var widths = new List<TransformerConfig> { full };
        var half = full with { DModel = full.DModel / 2, FeedForwardSize = Math.Max(1, full.FeedForwardSize / 2) };
        if (half.DModel % half.Heads == 0) widths.Add(half);
        int[] batches = [options.BatchSize, 2 * options.BatchSize];
        int[] layers = Enumerable.Range(1, full.Layers).ToArray();
        IOptimizerFactory[] optimizers = [new AdamWFactory(), new LionFactory()];
        var byWidth = new Dictionary<int, CalibratedCostModel>();
        foreach (var config in widths)
        {
            var tables = Enumerable.Range(0, Passes)
                .Select(_ => CostTableCalibrator.Calibrate(config, batches, layers, optimizers, options.CalibrationRepeats,
                new CostCalibrationOptions { Device = options.Device, RequireMonotone = false })).ToList();
            var entries = tables[0].Entries.Select(e => e with
            {
                Seconds =
                    tables.Min(t => t.Entries.Single(o => o.BatchSize == e.BatchSize && o.ActiveLayers == e.ActiveLayers
                        && o.Optimizer == e.Optimizer && o.ForwardOnly == e.ForwardOnly).Seconds),
            }).ToList();
            var (monotone, raised) = Envelope(entries);
            if (raised > 0)
                notes.Add(
                    $"d={config.DModel}: {raised} of {entries.Count} entries raised to keep cost non-decreasing in layers and batch size " +
                    $"(timing noise on a shared machine).");
            byWidth[config.DModel] = new CalibratedCostModel(
                new CostTable(tables[0].SequenceLength, monotone, $"min of {Passes} passes; " + tables[0].Reference));
        }
        return (new WidthKeyedCostModel(byWidth), notes);
    }

    /// <summary>
    /// The smallest table at or above <paramref name="entries"/> that is non-decreasing in layers and in batch size
    /// within each (optimizer, forward-only) group: each entry becomes the maximum over entries with no more layers and
    /// no larger batch. Returns it and how many entries were raised.
    /// </summary>
    public static (IReadOnlyList<CostTableEntry> Entries, int Raised) Envelope(IReadOnlyList<CostTableEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int raised = 0;
        var result = entries.Select(e =>
        {
            double max = entries.Where(o => o.Optimizer == e.Optimizer && o.ForwardOnly == e.ForwardOnly && o.ActiveLayers <= e.ActiveLayers
                && o.BatchSize <= e.BatchSize).Max(o => o.Seconds);
            if (max > e.Seconds) raised++;
            return e with { Seconds = max };
        }).ToList();
        return (result, raised);
    }
}
