namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus bench-trainer</c>: one training step through <see cref="Trainer"/> vs a hand-written TorchSharp loop doing
/// the same math (forward, cross-entropy, backward, AdamW step), for several widths, measured side by side
/// (alternating blocks, medians, and the median of each trainer block's ratio to the hand block before it), plus
/// achieved GFLOP/s against a measured matmul peak. <c>--task letter</c> (default)
/// uses in-memory 20-character windows; <c>--task charlm</c> uses a memory-mapped token stream (the Brown slice, or
/// <c>--corpus FILE.bustok</c>) with windows of <c>--context</c> tokens at random offsets, e.g. d=256, 4 layers, T=256.
/// </summary>
public static class BenchTrainerCommand
{
    private static readonly Option<int[]> Widths = ModelShapeOptions.WidthsOption([64, 128, 256, 512],
        "model widths, 1..65536 (each model must fit in memory)");
    private static readonly Option<int> Steps = RunOptions.Create<int>("--steps", "steps per measured block, 1..1000000", 20);
    private static readonly Option<int> Blocks = RunOptions.Create<int>("--blocks", "alternating measured blocks per side, 1..10000", 5);
    private static readonly Option<int> Batch = RunOptions.Batch(64, "batch size (x context tokens), 1..65536");
    private static readonly Option<string> TaskName = RunOptions.Create<string>("--task",
        "letter (in-memory windows of 20) or charlm " + "(token stream)", "letter");
    private static readonly Option<int> Context = RunOptions.Create<int>("--context", "tokens per window for charlm, 1..65536", 256);
    private static readonly Option<int> Layers = ModelShapeOptions.LayersOption(1);
    private static readonly Option<int> Heads = ModelShapeOptions.HeadsOption(1, "attention heads, 1..65536 (must divide every --d)");
    private static readonly Option<string?> Corpus = new("--corpus") { Description = "prepared .bustok token stream for charlm "
        + "(default: the built-in Brown slice, prepared to a temporary file)" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("bench-trainer", "Trainer step time vs a hand-written loop, and GFLOP/s vs matmul peak.",
            Widths, Steps, Blocks, Batch, TaskName, Context, Layers, Heads, Corpus);
        command.SetAction(parse =>
        {
            int steps = parse.GetValue(Steps), blocks = parse.GetValue(Blocks), batch = parse.GetValue(Batch);
            int layers = parse.GetValue(Layers), heads = parse.GetValue(Heads);
            string task = parse.GetValue(TaskName)!;
            if (task is not ("letter" or "charlm")) throw new ArgumentException($"--task {task}: must be letter or charlm.", "--task");
            bool charLm = task == "charlm";
            int context = charLm ? parse.GetValue(Context) : 20;
            var shape = charLm
                ? new TransformerConfig { Mode = ModelMode.Decoder, VocabSize = CharVocabulary.Size }
                : new TransformerConfig();
            RequireBounds(parse, shape with { Heads = heads, Layers = layers, MaxLength = context });
            double peak = new[] { 512, 1024, 2048 }.Max(MatmulGflops);
            AnsiConsole.MarkupLine($"threads {get_num_threads()}, matmul peak {peak:F0} GFLOP/s (max over 512/1024/2048 square "
                + $"fp32); task {task}, T={context}, layers {layers}, heads {heads}, batch {batch}");
            var table = new Table().AddColumns("d_model", "hand loop ms/step", "trainer ms/step", "trainer / hand",
                "median block ratio", "hand tokens/s", "trainer tokens/s", "model GFLOP/s (trainer)", "% of matmul peak");
            string? temp = null;
            ITrainingData train;
            if (charLm)
            {
                string? corpus = parse.GetValue(Corpus);
                if (corpus is null)
                {
                    temp = Path.Combine(Path.GetTempPath(), $"bus-bench-{Environment.ProcessId}");
                    Directory.CreateDirectory(temp);
                    File.WriteAllText(Path.Combine(temp, "brown.txt"), BuiltInCorpus.BrownSlice());
                    corpus = Path.Combine(temp, "brown.bustok");
                    TokenStreamFile.Prepare(Path.Combine(temp, "brown.txt"), corpus);
                }
                train = new TokenStreamData(corpus, context);
            }
            else
            {
                var (letters, dev) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice(), 20, 0.1, maxWindows: 4000);
                dev.Dispose();
                train = letters;
            }
            var objective = charLm ? SequenceObjective.LanguageModel : SequenceObjective.TokenClassification;
            try
            {
                foreach (int d in parse.GetValue(Widths)!)
                {
                    var config = (shape with { DModel = d, FeedForwardSize = 4 * d, Heads = heads, Layers = layers,
                        MaxLength = context }).Validate();
                    var hand = new List<double>();
                    var trainer = new List<double>();
                    HandLoop(config, train, objective, batch, 3); TrainerLoop(config, train, objective, batch, 3); // warm-up
                    for (int b = 0; b < blocks; b++)
                    {
                        hand.Add(HandLoop(config, train, objective, batch, steps));
                        trainer.Add(TrainerLoop(config, train, objective, batch, steps));
                    }
                    double h = Median(hand), t = Median(trainer);
                    // Each trainer block against the hand block just before it: robust to load that drifts during the run.
                    double pairs = Median(hand.Zip(trainer, (a, b) => b / a).ToList());
                    double flops = FlopCounter.Estimate(config, new StepCost(batch, context, layers, false, "adamw"));
                    double gflops = flops / (t / 1000) / 1e9;
                    double tokens = (double)batch * context;
                    table.AddRow($"{d}", $"{h:F2}", $"{t:F2}", $"{t / h:F3}", $"{pairs:F3}", $"{tokens / (h / 1000):F0}",
                        $"{tokens / (t / 1000):F0}", $"{gflops:F1}", $"{100 * gflops / peak:F0}%");
                }
            }
            finally
            {
                ((IDisposable)train).Dispose();
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
            AnsiConsole.Write(table);
        });
        return command;
    }

    /// <summary>Every size option's bound, and each width's model in memory, before the matmul calibration starts.</summary>
    private static void RequireBounds(ParseResult parse, TransformerConfig shape)
    {
        ModelSizeLimits.RequireSize("--steps", parse.GetValue(Steps), ModelSizeLimits.MaxBenchmarkSteps);
        ModelSizeLimits.RequireSize("--blocks", parse.GetValue(Blocks), ModelSizeLimits.MaxRepeats);
        ModelSizeLimits.RequireSize("--batch", parse.GetValue(Batch), ModelSizeLimits.MaxBatch);
        ModelSizeLimits.RequireSize("--context", shape.MaxLength, ModelSizeLimits.MaxContext);
        ModelSizeLimits.RequireSize("--layers", shape.Layers, ModelSizeLimits.MaxLayers);
        ModelSizeLimits.RequireSize("--heads", shape.Heads, ModelSizeLimits.MaxHeads);
        foreach (int d in parse.GetValue(Widths)!)
        {
            ModelSizeLimits.RequireSize("--d", d, ModelSizeLimits.MaxWidth);
            if (d % shape.Heads != 0) throw new ArgumentException($"--heads {shape.Heads}: must divide --d {d}.", "--heads");
            ModelSizeLimits.RequireFitsInMemory("--d", d, shape with { DModel = d, FeedForwardSize = 4 * d });
        }
    }

    /// <summary>The same math by hand: draw a batch with the data's own sampler, forward, loss, backward, AdamW step.</summary>
    private static double HandLoop(TransformerConfig config, ITrainingData train, ITrainingObjective objective, int batch, int steps)
    {
        using var model = GrowableTransformer.Create(config, 0);
        using var optimizer = optim.AdamW(model.parameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        var sampler = train.CreateSampler(new Random(0));
        var watch = new Stopwatch();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            watch.Start();
            var (x, y) = train.Batch(tensor(sampler.Next(batch)));
            model.train();
            var loss = objective.Loss(model.forward(x), y);
            _ = loss.item<float>();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            watch.Stop();
        }
        return watch.Elapsed.TotalMilliseconds / steps;
    }

    private static double TrainerLoop(TransformerConfig config, ITrainingData train, ITrainingObjective objective, int batch, int steps)
    {
        var options = new TrainerOptions { BatchSize = batch, Budget = Budget.Steps(steps), GradientClip = 0, LearningRate = 1e-3,
            WeightDecay = 0.01, MaxEvalExamples = 2 };
        var result = new Trainer(options).Fit(GrowableTransformer.Create(config, 0), train, train, objective);
        result.Module.Dispose();
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
