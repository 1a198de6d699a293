namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus study --preset frontier</c>: the compute-frontier study (every scratch size tuned, growth arms, test split),
/// resumable from the same build; prints one line per run and writes report.md, CSV and plots from every run file.
/// </summary>
public static class FrontierStudyCommand
{
    /// <summary>Runs or resumes the study; returns the exit code.</summary>
    public static int Run(string preset, string? corpusPath, string? outDir, int? maxRuns, bool allowOtherBuild, CancellationToken ct)
    {
        var options = preset == "frontier-tiny" ? FrontierOptions.Tiny : FrontierOptions.Frontier;
        string text = corpusPath is null ? BuiltInCorpus.BrownSlice() : StudyCorpus.Load(corpusPath);
        string folder = outDir ?? DefaultFolder(preset);
        Console.WriteLine($"Frontier study ({preset}) on {corpusPath ?? "the built-in Brown slice"} ({text.Length:N0} characters) "
            + $"into {folder}; build {FrontierRunner.Build}");
        var watch = Stopwatch.StartNew();
        var result = FrontierRunner.Run(options, text, folder, new InlineProgress<FrontierProgress>(Print), maxRuns, allowOtherBuild, ct);
        string commandLine = ("bus " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))).Trim();
        var written = FrontierFiles.Write(folder, commandLine, watch.Elapsed.TotalSeconds);
        Console.WriteLine($"{result.Executed} new runs, {result.Runs.Count} in all; "
            + $"{(result.Complete ? "complete" : "incomplete: re-run the same command to resume")}. " +
                          $"Wrote {string.Join(", ", written)}.");
        return 0;
    }

    /// <summary>The output folder of <paramref name="preset"/> when <c>--out</c> is not given.</summary>
    public static string DefaultFolder(string preset) => Path.Combine("runs", "study-" + preset);

    private static DateTime _lastLine = DateTime.MinValue;

    private static void Print(FrontierProgress p)
    {
        string stamp = DateTime.UtcNow.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        if (p.Message is { } message) { Console.WriteLine($"[{stamp}] {p.Scale}: {message}"); return; }
        string run = $"{p.Scale} {p.Arm} lr {p.LearningRate:G3} budget {p.Budget:G4} seed {p.Seed}";
        if (p.Training is null) { Console.WriteLine($"[{stamp}] run {p.Finished + 1}: {run}"); return; }
        if (p.Training.BudgetFraction >= 1 || DateTime.UtcNow - _lastLine > TimeSpan.FromSeconds(60))
        {
            _lastLine = DateTime.UtcNow;
            Console.WriteLine($"[{stamp}]   {run}: {p.Training.BudgetFraction:P0}, step {p.Training.Step}" +
                              (p.Training.LastRecord is { } r ? $", dev {r.DevMetric:F4} bpc" : ""));
        }
    }
}
