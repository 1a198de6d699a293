namespace Bus.Cli.Commands;

/// <summary><c>bus bench-lion</c>: Lion and Muon vs TorchSharp AdamW step time and optimizer-state bytes, side by side.</summary>
public static class BenchLionCommand
{
    private static readonly Option<int> Width = RunOptions.Create<int>("--width",
        "width of each nn.Linear, 1..65536 (both models must fit in memory)", 512);
    private static readonly Option<int> Layers = ModelShapeOptions.LayersOption(8, "number of nn.Linear layers, 1..4096");
    private static readonly Option<int> Steps = RunOptions.Create<int>("--steps", "measured steps, 1..1000000", 50);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("bench-lion", "Lion and Muon vs AdamW: step time and optimizer state bytes.",
            Width, Layers, Steps);
        command.SetAction(parse =>
        {
            int width = parse.GetValue(Width), layers = parse.GetValue(Layers), steps = parse.GetValue(Steps);
            ModelSizeLimits.RequireSize("--width", width, ModelSizeLimits.MaxWidth);
            ModelSizeLimits.RequireSize("--layers", layers, ModelSizeLimits.MaxLayers);
            ModelSizeLimits.RequireSize("--steps", steps, ModelSizeLimits.MaxBenchmarkSteps);
            ModelSizeLimits.RequireFitsInMemory("--width", width, 2.0 * layers * width * (width + 1.0)); // one model per optimizer
            var rows = LionBenchmark.Run(width, layers, 5, steps);
            var table = new Table().AddColumns("optimizer", "parameters", "median ms/step", "mean ms/step", "state bytes");
            foreach (var r in rows) table.AddRow(r.Optimizer, $"{r.ParameterCount:N0}", $"{r.StepTimeMedianMs:F2}",
                $"{r.StepTimeMeanMs:F2}", $"{r.StateBytes:N0}");
            AnsiConsole.Write(table);
            var adam = rows.Single(r => r.Optimizer == "AdamW");
            foreach (var r in rows.Where(r => r != adam))
                AnsiConsole.MarkupLine($"{r.Optimizer} / AdamW: time {r.StepTimeMedianMs / adam.StepTimeMedianMs:F2}x (median), "
                    + $"state {(double)r.StateBytes / adam.StateBytes:F2}x");
        });
        return command;
    }
}
