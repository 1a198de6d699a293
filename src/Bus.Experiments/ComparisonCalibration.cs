using Bus.Core.Model;
using Bus.Core.Training;
using Bus.Experiments.Methods;

namespace Bus.Experiments;

/// <summary>
/// Calibrates the reference-time cost model of a comparison ONCE, before any run (NTNG's RST tables, measured
/// rather than hand-entered): for the full width d and for d/2, every layer count 1..L, batch sizes B and 4B
/// (others interpolated), AdamW and Lion steps and forward-only scoring passes.
/// </summary>
public static class ComparisonCalibration
{
    /// <summary>Measures the tables; a non-monotone measurement is retried twice, then accepted unvalidated with a note.</summary>
    public static (WidthKeyedCostModel Model, IReadOnlyList<string> Notes) Calibrate(TransformerConfig full, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        var widths = new List<TransformerConfig> { full };
        var half = full with { DModel = full.DModel / 2, DFf = Math.Max(1, full.DFf / 2) };
        if (half.DModel % half.Heads == 0) widths.Add(half);
        int[] batches = [options.BatchSize, 4 * options.BatchSize];
        int[] layers = Enumerable.Range(1, full.Layers).ToArray();
        IOptimizerFactory[] optimizers = [new AdamWFactory(), new LionFactory()];
        var byWidth = new Dictionary<int, CalibratedCostModel>();
        foreach (var config in widths)
        {
            CalibratedCostModel? model = null;
            for (int attempt = 1; model is null; attempt++)
            {
                bool strict = attempt <= 3;
                try
                {
                    var table = CostTableCalibrator.Calibrate(config, batches, layers, optimizers, options.CalibrationRepeats,
                        new CostCalibrationOptions { Device = options.Device, RequireMonotone = strict });
                    model = new CalibratedCostModel(table, strict);
                    if (!strict) notes.Add($"d={config.DModel}: cost table not monotone after 3 attempts (timing noise); used unvalidated.");
                }
                catch (InvalidDataException e) when (strict)
                {
                    notes.Add($"d={config.DModel}: calibration attempt {attempt} not monotone: {e.Message.Split('\n')[0]}");
                }
            }
            byWidth[config.DModel] = model;
        }
        return (new WidthKeyedCostModel(byWidth), notes);
    }
}
