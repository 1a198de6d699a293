namespace Bus.Experiments.Frontier;

/// <summary>
/// The frontier study's cost tables: one per (family, width), layers 1..L at the study's batch, AdamW steps, each entry
/// the median of at least five timed steps. A calibration during which other processes used more than
/// <see cref="FrontierOptions.MaxForeignLoad"/> cores, or whose costs do not increase with the layer count, is re-taken a
/// minute later; the load measured is stored with the table (calibration-&lt;family&gt;-d&lt;width&gt;.json).
/// </summary>
public static class FrontierCalibration
{
    /// <summary>Seconds between attempts (tests shorten it).</summary>
    public static double RetrySeconds { get; set; } = 60;

    /// <summary>Loads or measures the table of <paramref name="config"/>'s family and width with layers
    /// 1..<paramref name="layers"/>.</summary>
    /// <exception cref="InvalidOperationException">Every attempt was under load or non-monotone (the message lists them).</exception>
    public static CalibratedCostModel LoadOrMeasure(string directory, TransformerConfig config, int layers, FrontierOptions options,
        Action<string>? report = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        string path = PathOf(directory, config);
        using var claim = RunClaim.Wait(path, StudyRunner.ClaimPollSeconds, cancellationToken);
        if (File.Exists(path)) return new CalibratedCostModel(CostTable.Load(path));
        var attempts = new List<string>();
        int loadedAttempts = 0;
        for (int attempt = 1; attempt <= options.CalibrationAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            report?.Invoke($"calibrating {config.Architecture} d={config.DModel}, layers 1..{layers} (attempt {attempt})");
            var load = ForeignLoad.Start();
            double loadBefore = LoadAverage();
            CostTable table;
            string? problem = null;
            var calibration = new CostCalibrationOptions { Device = options.Device, IncludeForwardOnly = false, RequireMonotone = false,
                Warmup = 10 };
            int[] layerCounts = Enumerable.Range(1, layers).ToArray();
            // A discarded pass first: the first entries of a fresh process also time the JIT, the allocator and the
            // thread pool (seen here: 1 layer "slower" than 2 at d = 16), which no per-entry warm-up removes. Its slowest
            // entry sets the repeats, so every entry's median spans about a second (small models' steps take milliseconds).
            var probe = CostTableCalibrator.Calibrate(config, [options.BatchSize], layerCounts, [new AdamWFactory()], 1,
                calibration with { Warmup = 2 });
            int repeats = Math.Clamp((int)Math.Ceiling(1.0 / Math.Max(1e-4, probe.Entries.Max(e => e.Seconds))), options.CalibrationRepeats,
                200);
            table = CostTableCalibrator.Calibrate(config, [options.BatchSize], layerCounts, [new AdamWFactory()], repeats, calibration);
            double? foreign = load.Cores();
            var (monotone, raised) = ComparisonCalibration.Envelope(table.Entries);
            string repair = "";
            if (foreign is { } f && f > options.MaxForeignLoad)
            {
                problem = $"other processes used {f:F2} cores (limit {options.MaxForeignLoad:F2})";
                loadedAttempts++;
            }
            else if (raised > 0)
            {
                // Costs that fall with more layers are timing noise; re-take, and after three such attempts keep the
                // monotone upper envelope (each entry raised to the largest cost of the entries with fewer layers), noted.
                if (attempt - loadedAttempts < 3)
                    problem =
                        $"not monotone in layers ({raised} entries): " +
                        $"{string.Join(", ", table.Entries.Select(e => e.Seconds.ToString("G3", CultureInfo.InvariantCulture)))}";
                else
                {
                    table = new CostTable(table.SequenceLength, monotone, table.Reference);
                    repair = $", {raised} entries raised to the monotone envelope";
                }
            }
            if (problem is null)
            {
                string note =
                    $"foreign load {(foreign is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) + " cores" : "unknown")}, " +
                              $"loadavg {loadBefore:F2} -> {LoadAverage():F2}, attempt {attempt}, median of {repeats}{repair}";
                var stamped = new CostTable(table.SequenceLength, table.Entries, table.Reference + "; " + note);
                StudyRunner.WriteAtomically(path, stamped.ToJson());
                return new CalibratedCostModel(stamped);
            }
            attempts.Add($"attempt {attempt}: {problem}");
            report?.Invoke($"calibration re-taken: {problem}");
            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(RetrySeconds))) cancellationToken.ThrowIfCancellationRequested();
        }
        throw new InvalidOperationException(
            $"No quiet calibration of {config.Architecture} d={config.DModel} in {options.CalibrationAttempts} attempts: " +
            $"{string.Join("; ", attempts)}. Stop other work and resume.");
    }

    /// <summary>The table file of a family and width.</summary>
    public static string PathOf(string directory, TransformerConfig config) =>
        Path.Combine(directory, $"cost-{config.Architecture.ToString().ToLowerInvariant()}-d{config.DModel}.json");

    private static double LoadAverage()
    {
        try
        {
            return OperatingSystem.IsLinux()
                ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
                : double.NaN;
        }
        catch (IOException) { return double.NaN; }
    }
}
