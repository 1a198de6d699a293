namespace Bus.Cli.Commands;

/// <summary><c>bus report results.json</c>: rebuilds report.md and the plots of a finished BUS experiment from its results.json.</summary>
public static class ReportCommand
{
    private static readonly Argument<string> Results = new("results") { Description = "results.json written by bus-experiment" };
    private static readonly Option<string?> Out = new("--out") { Description = "output folder (default: the folder of results.json)" };
    private static readonly Option<string?> CommandLine = new("--command") { Description = "the command that produced the results, "
        + "shown in the report" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("report", "Rebuild report.md and plots from a bus-experiment results.json.",
            Results, Out, CommandLine);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(Results)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"results file '{path}' does not exist.", path);
            var results = ReadResults(path);
            string outDir = parse.GetValue(Out) ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
            OutputPaths.RequireWritableFolder("--out", outDir);
            foreach (var r in results) ExperimentPlots.Write(outDir, r);
            string markdown = ExperimentMarkdown.Render(results, parse.GetValue(CommandLine) ?? $"bus report {path}");
            File.WriteAllText(Path.Combine(outDir, "report.md"), markdown);
            Console.WriteLine(markdown);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(outDir, "report.md"))} and plots.");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The results in <paramref name="path"/>; a file that is not bus-experiment results is a user error naming the file.
    /// </summary>
    private static List<BusExperimentResult> ReadResults(string path)
    {
        List<BusExperimentResult>? results;
        try
        {
            results = JsonSerializer.Deserialize<List<BusExperimentResult>>(File.ReadAllText(path), ResultFiles.Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a bus-experiment results.json ({e.Message}).", e);
        }

        if (results is null || results.Count == 0) throw new InvalidDataException($"'{path}' holds no experiment results.");
        if (results.Any(r => r is null || r.Options is null))
            throw new InvalidDataException($"'{path}' holds an entry that is not a bus-experiment result (no options).");
        return results;
    }
}
