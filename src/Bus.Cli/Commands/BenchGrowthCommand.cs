namespace Bus.Cli.Commands;

/// <summary><c>bus bench-growth</c>: cost of each growth operation vs one training step of the grown model, side by side.</summary>
public static class BenchGrowthCommand
{
    private static readonly Option<int[]> Widths = ModelShapeOptions.WidthsOption([64, 128],
        "source widths, even, 2..32768 (each grows to 2d, which must fit in memory)");
    private static readonly Option<int> Repeats = RunOptions.Create<int>("--repeats", "timed repetitions, 1..10000", 5);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("bench-growth", "Growth operation time vs one training step of the grown model.",
            Widths, Repeats);
        command.SetAction(parse =>
        {
            int[] widths = parse.GetValue(Widths)!;
            foreach (int d in widths)
            {
                ModelSizeLimits.RequireSize("--d", d, ModelSizeLimits.MaxWidth / 2);
                if (d % 2 != 0) throw new ArgumentException($"--d {d}: must be even (the benchmark's models have 2 heads).", "--d");
                var grown = new TransformerConfig
                {
                    VocabSize = 27, MaxLength = 20, DModel = 2 * d, Heads = 2, FeedForwardSize = 8 * d, Layers = 2,
                };
                ModelSizeLimits.RequireFitsInMemory("--d", d, grown);
            }
            ModelSizeLimits.RequireSize("--repeats", parse.GetValue(Repeats), ModelSizeLimits.MaxRepeats);
            var rows = GrowthBenchmark.Run(sourceWidths: widths, repeats: parse.GetValue(Repeats));
            var table = new Table().AddColumns("operator", "d", "parameters", "grow ms (median)", "train step ms (median)", "grow / step");
            foreach (var r in rows)
                table.AddRow(r.Operator, $"{r.SourceDModel} -> {r.TargetDModel}", $"{r.TargetParameters:N0}", $"{r.GrowMs:F1}",
                    $"{r.StepMs:F1}", $"{r.GrowMs / r.StepMs:F2}");
            AnsiConsole.Write(table);
        });
        return command;
    }
}
