namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus bench-compute</c>: the trainer's step time and peak memory side by side for each compute variant — fp32, bf16,
/// fp16 (mixed precision with fp32 masters) and activation recompute — on one GPT decoder over random tokens (time and
/// memory do not depend on the tokens). Time: median over alternating measured blocks, as wall clock and as process CPU
/// time (steadier on a shared machine). Memory: the peak resident size
/// above the size before the run (<see cref="PeakMemory"/>: model, data and everything the run allocates), one
/// separate run per variant.
/// </summary>
public static class BenchComputeCommand
{
    private static readonly ModelShapeOptions Shape = new(width: 128, heads: 4, layers: 4);
    private static readonly Option<int> Context = RunOptions.Create<int>("--context", "tokens per window, 1..65536", 128);
    private static readonly Option<int> Batch = RunOptions.Batch(16, "windows per step, 1..65536");
    private static readonly Option<int> Steps = RunOptions.Create<int>("--steps", "steps per measured block", 4);
    private static readonly Option<int> Blocks = RunOptions.Create<int>("--blocks", "alternating measured blocks per variant", 3);
    private static readonly Option<string[]> Variants = new("--variant")
    {
        Description = "variants to run: fp32, bf16, fp16, fp32+recompute, bf16+recompute, fp16+recompute "
            + "(default: fp32 bf16 fp16 fp32+recompute)",
        DefaultValueFactory = _ => ["fp32", "bf16", "fp16", "fp32+recompute"],
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("bench-compute",
            "Trainer step time and peak memory: fp32 vs bf16 vs fp16 vs activation recompute.",
            Shape.Width, Shape.Layers, Shape.Heads, Context, Batch, Steps, Blocks, Variants);
        command.SetAction(parse =>
        {
            var (d, heads, layers) = Shape.Read(parse);
            int context = parse.Size(Context, ModelSizeLimits.MaxContext), batch = parse.Batch(Batch);
            int steps = parse.Size(Steps, ModelSizeLimits.MaxBenchmarkSteps), blocks = parse.Size(Blocks, ModelSizeLimits.MaxRepeats);
            var variants = parse.GetValue(Variants)!.Select(ParseVariant).ToArray();
            var config = Shape.Config(parse, new TransformerConfig { Mode = ModelMode.Decoder, VocabSize = CharVocabulary.Size,
                MaxLength = context });
            using var data = RandomTokens(config, Math.Max(4 * batch, 64), context);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"threads {get_num_threads()}; GPT decoder d={d}, layers {layers}, heads {heads}, T={context}, batch {batch}; " +
                $"{steps} steps x {blocks} alternating blocks per variant"));
            foreach (var v in variants) _ = TimeSteps(config, data, batch, v, 2); // warm-up
            var times = variants.ToDictionary(v => v, _ => new List<double>());
            var cpu = variants.ToDictionary(v => v, _ => new List<double>());
            for (int b = 0; b < blocks; b++)
                foreach (var v in variants)
                {
                    var (wall, processor) = TimeSteps(config, data, batch, v, steps);
                    times[v].Add(wall);
                    cpu[v].Add(processor);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"block {b + 1} {Name(v)}: {wall:F1} ms/step wall, {processor:F1} ms/step CPU"));
                }
            var table = new Table().AddColumns("variant", "wall ms/step (median)", "CPU ms/step (median)", "CPU vs fp32",
                "peak memory above start (MB)");
            double? reference = variants.Any(v => v == (Precision.Fp32, false)) ? Median(cpu[(Precision.Fp32, false)]) : null;
            foreach (var v in variants)
            {
                double ms = Median(times[v]), processor = Median(cpu[v]);
                long? peak = PeakBytes(config, data, batch, v, steps);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Name(v)}: peak {(peak ?? -1) / 1048576.0:F0} MB above start"));
                table.AddRow(Name(v), ms.ToString("F1", CultureInfo.InvariantCulture),
                    processor.ToString("F1", CultureInfo.InvariantCulture),
                    reference is { } r ? (processor / r).ToString("F2", CultureInfo.InvariantCulture) : "-",
                    peak is { } p ? (p / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) : "n/a");
            }
            AnsiConsole.Write(table);
        });
        return command;
    }

    private static (Precision Precision, bool Recompute) ParseVariant(string text)
    {
        var parts = text.Split('+');
        bool recompute = parts.Length == 2 && parts[1] == "recompute";
        if (parts.Length > 2 || (parts.Length == 2 && !recompute) || !Precisions.Names.Contains(parts[0]))
            throw new ArgumentException($"--variant {text}: must be fp32, bf16 or fp16, optionally followed by +recompute.", "--variant");
        return (Precisions.Parse(parts[0]), recompute);
    }

    private static string Name((Precision Precision, bool Recompute) v) => v.Precision.Name() + (v.Recompute ? "+recompute" : "");

    private static SequenceDataset RandomTokens(TransformerConfig config, int rows, int context)
    {
        var g = new Generator(1);
        using var stream = randint(0, config.VocabSize, [rows, context + 1], generator: g);
        return new SequenceDataset(stream[.., ..^1].clone(), stream[.., 1..].clone());
    }

    private static TrainingResult Fit(TransformerConfig config, SequenceDataset data, int batch,
        (Precision Precision, bool Recompute) v, int steps)
    {
        var options = new TrainerOptions
        {
            BatchSize = batch, Budget = Budget.Steps(steps), MaxEvalExamples = 1, Precision = v.Precision, Recompute = v.Recompute,
        };
        return new Trainer(options).Fit(GrowableTransformer.Create(config, 0), data, data, SequenceObjective.LanguageModel);
    }

    /// <summary>Wall-clock ms per step (the budget meter's, evaluation excluded) and process CPU ms per step (the whole Fit,
    /// all threads: on a machine shared with other jobs it moves less than the wall clock).</summary>
    private static (double Wall, double Cpu) TimeSteps(TransformerConfig config, SequenceDataset data, int batch,
        (Precision, bool) v, int steps)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        var result = Fit(config, data, batch, v, steps);
        self.Refresh();
        var used = self.TotalProcessorTime - before;
        result.Module.Dispose();
        return (result.Meter.WallClockSeconds * 1000 / steps, used.TotalMilliseconds / steps);
    }

    private static long? PeakBytes(TransformerConfig config, SequenceDataset data, int batch, (Precision, bool) v, int steps)
    {
        if (PeakMemory.Reset() is not { } start) return null;
        var result = Fit(config, data, batch, v, steps);
        long? peak = PeakMemory.Peak();
        result.Module.Dispose();
        return peak - start;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
