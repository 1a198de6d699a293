using System.CommandLine;
using Bus.Experiments.Benchmarks;
using Spectre.Console;

namespace Bus.Cli.Commands;

/// <summary><c>bus bench-growth</c>: cost of each growth operation vs one training step of the grown model, side by side.</summary>
public static class BenchGrowthCommand
{
    private static readonly Option<int[]> Widths = new("--d") { Description = "source widths (each grows to 2d)", DefaultValueFactory = _ => [64, 128], AllowMultipleArgumentsPerToken = true };
    private static readonly Option<int> Repeats = new("--repeats") { Description = "timed repetitions", DefaultValueFactory = _ => 5 };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("bench-growth", "Growth operation time vs one training step of the grown model.");
        command.Add(Widths);
        command.Add(Repeats);
        command.SetAction(parse =>
        {
            var rows = GrowthBenchmark.Run(sourceWidths: parse.GetValue(Widths), repeats: parse.GetValue(Repeats));
            var table = new Table().AddColumns("operator", "d", "parameters", "grow ms (median)", "train step ms (median)", "grow / step");
            foreach (var r in rows)
                table.AddRow(r.Operator, $"{r.SourceDModel} -> {r.TargetDModel}", $"{r.TargetParameters:N0}", $"{r.GrowMs:F1}", $"{r.StepMs:F1}", $"{r.GrowMs / r.StepMs:F2}");
            AnsiConsole.Write(table);
        });
        return command;
    }
}
