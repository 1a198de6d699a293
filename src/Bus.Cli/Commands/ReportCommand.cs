using System.CommandLine;
using System.Text.Json;
using Bus.Cli.Reports;
using Bus.Growth.Experiments;
using Spectre.Console;

namespace Bus.Cli.Commands;

/// <summary><c>bus report results.json</c>: rebuilds report.md and the plots of a finished BUS experiment from its results.json.</summary>
public static class ReportCommand
{
    private static readonly Argument<string> Results = new("results") { Description = "results.json written by bus-experiment" };
    private static readonly Option<string?> Out = new("--out") { Description = "output folder (default: the folder of results.json)" };
    private static readonly Option<string?> CommandLine = new("--command") { Description = "the command that produced the results, shown in the report" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("report", "Rebuild report.md and plots from a bus-experiment results.json.");
        command.Add(Results);
        command.Add(Out);
        command.Add(CommandLine);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(Results)!;
            if (!File.Exists(path)) { Console.Error.WriteLine($"error: results file '{path}' does not exist."); return 2; }
            var results = JsonSerializer.Deserialize<List<BusExperimentResult>>(File.ReadAllText(path), ResultFiles.Json);
            if (results is null || results.Count == 0) { Console.Error.WriteLine($"error: '{path}' holds no experiment results."); return 2; }
            string outDir = parse.GetValue(Out) ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var r in results) ExperimentPlots.Write(outDir, r);
            string markdown = ExperimentMarkdown.Render(results, parse.GetValue(CommandLine) ?? $"bus report {path}");
            File.WriteAllText(Path.Combine(outDir, "report.md"), markdown);
            Console.WriteLine(markdown);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(outDir, "report.md"))} and plots.");
            return 0;
        });
        return command;
    }
}
