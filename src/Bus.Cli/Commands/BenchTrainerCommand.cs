using System.CommandLine;
using System.Diagnostics;
using Bus.Core.Data;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus bench-trainer</c>: one training step through <see cref="Trainer"/> vs a hand-written TorchSharp loop doing
/// the same math (forward, cross-entropy, backward, AdamW step), for several widths, measured side by side
/// (alternating blocks, medians), plus achieved GFLOP/s against a measured matmul peak.
/// </summary>
public static class BenchTrainerCommand
{
    private static readonly Option<int[]> Widths = new("--d") { Description = "model widths", DefaultValueFactory = _ => [64, 128, 256, 512], AllowMultipleArgumentsPerToken = true };
    private static readonly Option<int> Steps = new("--steps") { Description = "steps per measured block", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> Blocks = new("--blocks") { Description = "alternating measured blocks per side", DefaultValueFactory = _ => 5 };
    private static readonly Option<int> Batch = new("--batch") { Description = "batch size (x 20 tokens)", DefaultValueFactory = _ => 64 };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("bench-trainer", "Trainer step time vs a hand-written loop, and GFLOP/s vs matmul peak.");
        foreach (var o in new Option[] { Widths, Steps, Blocks, Batch }) command.Add(o);
        command.SetAction(parse =>
        {
            int steps = parse.GetValue(Steps), blocks = parse.GetValue(Blocks), batch = parse.GetValue(Batch);
            double peak = new[] { 512, 1024, 2048 }.Max(MatmulGflops);
            AnsiConsole.MarkupLine($"threads {get_num_threads()}, matmul peak {peak:F0} GFLOP/s (max over 512/1024/2048 square fp32)");
            var table = new Table().AddColumns("d_model", "hand loop ms/step", "trainer ms/step", "trainer / hand", "model GFLOP/s (trainer)", "% of matmul peak");
            var (train, _) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice(), 20, 0.1, maxWindows: 4000);
            using (train)
                foreach (int d in parse.GetValue(Widths)!)
                {
                    var config = new TransformerConfig { DModel = d, DFf = 4 * d, Heads = 1, Layers = 1, MaxLength = 20 };
                    var hand = new List<double>();
                    var trainer = new List<double>();
                    HandLoop(config, train, batch, 3); TrainerLoop(config, train, batch, 3); // warm-up
                    for (int b = 0; b < blocks; b++)
                    {
                        hand.Add(HandLoop(config, train, batch, steps));
                        trainer.Add(TrainerLoop(config, train, batch, steps));
                    }
                    double h = Median(hand), t = Median(trainer);
                    double flops = FlopCounter.Estimate(config, new StepCost(batch, 20, 1, false, "adamw"));
                    double gflops = flops / (t / 1000) / 1e9;
                    table.AddRow($"{d}", $"{h:F2}", $"{t:F2}", $"{t / h:F3}", $"{gflops:F1}", $"{100 * gflops / peak:F0}%");
                }
            AnsiConsole.Write(table);
        });
        return command;
    }

    private static double HandLoop(TransformerConfig config, SequenceDataset train, int batch, int steps)
    {
        using var model = GrowableTransformer.Create(config, 0);
        using var optimizer = optim.AdamW(model.parameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        var rng = new Random(0);
        var watch = new Stopwatch();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var idx = tensor(Enumerable.Range(0, batch).Select(_ => (long)rng.Next(train.Count)).ToArray());
            watch.Start();
            var (x, y) = train.Batch(idx);
            model.train();
            var loss = nn.functional.cross_entropy(model.forward(x).flatten(0, 1), y.flatten());
            _ = loss.item<float>();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            watch.Stop();
        }
        return watch.Elapsed.TotalMilliseconds / steps;
    }

    private static double TrainerLoop(TransformerConfig config, SequenceDataset train, int batch, int steps)
    {
        using var dev = train.Slice([0, 1]);
        var options = new TrainerOptions { BatchSize = batch, Budget = Budget.Steps(steps), GradientClip = 0, LearningRate = 1e-3, WeightDecay = 0.01 };
        var result = new Trainer(options).Fit(GrowableTransformer.Create(config, 0), train, dev, SequenceObjective.Classification);
        result.Model.Dispose();
        return result.Meter.WallClockSeconds * 1000 / steps;
    }

    private static double MatmulGflops(int n)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
        int reps = Math.Max(3, (int)(2e10 / (2.0 * n * n * n)));
        var w = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++) a.matmul(b).Dispose();
        return 2.0 * n * n * n * reps / w.Elapsed.TotalSeconds / 1e9;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
