using Bus.Growth.Schedules;
using Bus.Optimizers;
using Bus.Selection;
using Bus.Core;
using Bus.Core.Optimization;
using Bus.Core.Tasks.CharLm;

namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus train</c>: trains one <see cref="GrowableTransformer"/> on letter counting or a character language model,
/// from the built-in Brown slice, any text file (<c>--corpus</c>, normalised as text8) or a prepared <c>.bustok</c>
/// token stream (verified when the run starts, windows read at random offsets), with resumable checkpoints: run the same command again
/// after a crash or kill and it continues from <c>last.safetensors</c>, bit for bit. Optional growth (any operator by
/// name, width and/or depth target, step or budget-fraction trigger), Lion, and selective backprop. After a stop on a
/// non-finite loss, <c>--rescue</c> with a new <c>--lr</c> goes on from the last finite checkpoint (nothing else may change).
/// Exit codes: 0 done, 2 bad arguments, 130 cancelled by Ctrl+C (143 by SIGTERM, 129 by SIGHUP: 128 + the signal).
/// </summary>
public static class TrainCommand
{
    /// <summary>Exit code for invalid arguments.</summary>
    public const int BadArguments = 2;

    /// <summary>Exit code when the run was cancelled (Ctrl+C); the last checkpoint stays for a resume.</summary>
    public const int Cancelled = 130;

    private const int LetterWindow = 20;
    private const int CharLmContext = 64;
    private const int MaxEvalsPerEpoch = 10_000;
    private const int MaxStepDelayMs = 60_000;

    private static readonly Option<string?> TaskName = new("--task")
    {
        Description = "letter (per-token letter counting) or charlm (next-character language model); default: charlm with --corpus, "
            + "else letter",
    };
    private static readonly Option<string?> Corpus = new("--corpus") { Description = "any text file (normalised as text8; for "
        + "charlm prepared once into FILE.bustok) or a .bustok token stream from bus prepare (any tokenizer: the model's vocabulary "
        + "follows it); default: the built-in Brown slice" };
    private static readonly Option<int?> Context = new("--context")
    {
        Description = "tokens per window, 1..65536 (default 20 for letter, 64 for charlm)",
    };
    private static readonly ModelShapeOptions Shape = new(width: 32, heads: 1, layers: 1,
        widthDescription: "model width d_model, 1..65536 (d_ff = 4 d); the model must also fit in memory");
    private static readonly Option<int?> KvHeads = new("--kv-heads") { Description = "llama: key/value heads for grouped-query "
        + "attention (must divide --heads; default --heads)" };
    private static readonly Option<bool> TieEmbeddings = new("--tie-embeddings") { Description = "llama decoder (--task charlm): "
        + "the output head reuses the token embedding" };
    private static readonly Option<Core.Model.ModelArchitecture> Arch = RunOptions.Create<Core.Model.ModelArchitecture>("--arch",
        "model family: gpt " + "(LayerNorm, GELU, learned positions) or llama (RMSNorm, SwiGLU, RoPE)", Core.Model.ModelArchitecture.Gpt);
    private static readonly Option<long> Steps = RunOptions.Create<long>("--steps", "optimizer steps (the budget), 1..10^9", 500);
    private static readonly Option<int> Batch = RunOptions.Batch(32, "batch size, 1..65536 (at most the training windows)");
    private static readonly Option<double> Lr = RunOptions.LearningRate(1e-3,
        "peak learning rate, AdamW-scale (--optimizer lion trains at it / 3)");
    private static readonly Option<long> Seed = RunOptions.Seed(0, "seed of initialisation, shuffling and dropout");
    private static readonly Option<double> Dropout = RunOptions.Create<double>("--dropout", "dropout probability in [0, 1)", 0.0);
    private static readonly Option<int?> MaxWindows = new("--max-windows") { Description = "cap on in-memory windows taken from the "
        + "corpus (default: all; not for token streams)" };
    private static readonly Option<double> DevFraction = RunOptions.Create<double>("--dev-fraction",
        "fraction of the corpus (a " + "contiguous tail) held out for dev", 0.1);
    private static readonly Option<int> MaxEval = RunOptions.Create<int>("--max-eval", "dev windows evaluated each time, 1..65536", 512);
    private static readonly Option<int> EvalsPerEpoch = RunOptions.Create<int>("--evals-per-epoch",
        "dev evaluations per pass over the training data, 1..10000", 1);
    private static readonly Option<string?> CheckpointDir = new("--checkpoint-dir") { Description = "folder for last.safetensors; "
        + "the run resumes from it when present" };
    private static readonly Option<bool> RescueOption = new("--rescue")
    {
        Description = "after a stop on a non-finite loss: go on from the last finite checkpoint in --checkpoint-dir "
            + "with a new --lr (nothing else may change)",
    };
    private static readonly Option<int> CheckpointEvery = RunOptions.Create<int>("--checkpoint-every",
        "steps between checkpoints, 1..10^9", 100);
    private static readonly Option<string?> Save = new("--save") { Description = "path of the final model (safetensors)" };
    private static readonly Option<string> GrowOp = new("--grow-op") { Description = $"growth operator: "
        + $"{string.Join(", ", GrowthOperators.Names)}", DefaultValueFactory = _ => "bus-identity" };
    private static readonly Option<long?> GrowAtStep = new("--grow-at-step") { Description = "grow after this many steps" };
    private static readonly Option<double?> GrowAtFraction = new("--grow-at-fraction") { Description = "grow when this fraction of "
        + "the budget is spent, in (0, 1)" };
    private static readonly Option<int?> GrowToD = new("--grow-to-d") { Description = "width after growth, up to 65536 (d_ff = 4 d)" };
    private static readonly Option<int?> GrowToLayers = new("--grow-to-layers") { Description = "blocks after growth, up to 4096" };
    private static readonly Option<int?> GrowToHeads = new("--grow-to-heads")
    {
        Description = "heads after width growth (default: unchanged, or grown with the width for operators that keep head_dim: "
            + "hypercloning, msg-width)",
    };
    private static readonly Option<string[]> Grow = new("--grow")
    {
        Description = "a growth stage as key=value pairs, repeatable for several stages: at=FRACTION|step=N, op=OPERATOR, d=, "
            + "heads=, layers= "
            + "(e.g. --grow \"at=0.25,op=hypercloning,d=128\" --grow \"at=0.5,op=stack-depth,layers=4\")",
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<string> OptimizerName = new("--optimizer") { Description = string.Join(" or ",
        OptimizerFactories.Names), DefaultValueFactory = _ => "adamw" };
    private static readonly Option<string> SelectorName = new("--selector")
    {
        Description = $"{string.Join(" or ", BatchSelectors.Names)} (RHO-LOSS needs an irreducible-loss model: use bus compare)",
        DefaultValueFactory = _ => BatchSelectors.Uniform
    };
    private static readonly Option<int> ProgressEvery = RunOptions.Create<int>("--progress-every",
        "print a progress line every this many steps, 1..10^9", 10);
    private static readonly Option<int?> Threads = RunOptions.Threads();
    private static readonly Option<int> StepDelayMs = RunOptions.Create<int>("--step-delay-ms",
        "milliseconds to sleep after each step, 0..60000 (simulates a slow device; kill-and-resume tests)", 0);
    private static readonly Option<string> Device = RunOptions.Device();
    private static readonly Option<string> PrecisionOption = RunOptions.Create<string>("--precision",
        "compute format: fp32, bf16 or fp16 (fp32 master weights and optimizer state; fp16 with dynamic loss scaling)", "fp32");
    private static readonly Option<bool> RecomputeOption = new("--recompute")
    {
        Description = "recompute each block's activations in the backward pass (less memory, more time; same gradients)",
    };
    private static readonly Option<int> Accumulate = RunOptions.Create<int>("--accumulate",
        "micro-batches per step (gradient accumulation), 1..--batch: the step equals the --batch step, "
        + "with the memory of one micro-batch", 1);
    private static readonly Option<string> Schedule = RunOptions.Create<string>("--schedule",
        "learning-rate schedule after the 5% warm-up: linear (decay to 0), cosine, or wsd (stable, then a linear "
        + "decay over the last --decay-fraction)", "linear");
    private static readonly Option<double?> DecayFraction = new("--decay-fraction")
    {
        Description = "--schedule wsd: the final fraction of the budget that decays, in (0, 1] (default 0.2)",
    };
    private static readonly Option<bool> Extend = new("--extend")
    {
        Description = "continue the run in --checkpoint-dir (finished or not) to a larger --steps; only before its decay began (wsd)",
    };
    private static readonly Option<string?> Init = new("--init")
    {
        Description = "start a new run from a Bus model (--save or import-hf output, or a checkpoint's last.safetensors) or a "
            + "Hugging Face folder: weights only, fresh optimizer and schedule",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("train",
            "Train one model (letter counting or a char LM, on the built-in slice, any text or a token stream) with resumable "
            + "checkpoints, optional growth, Lion and selective backprop.",
            TaskName, Corpus, Context, Shape.Width, Shape.Layers, Shape.Heads, Steps, Batch, Lr, Seed, Dropout, MaxWindows, DevFraction,
            MaxEval, EvalsPerEpoch, CheckpointDir, CheckpointEvery, Save, GrowOp, GrowAtStep, GrowAtFraction, GrowToD, GrowToLayers,
            GrowToHeads, Grow, OptimizerName, SelectorName, ProgressEvery, Threads, StepDelayMs, Device, Arch, KvHeads, TieEmbeddings,
            RescueOption, PrecisionOption, RecomputeOption, Accumulate, Schedule, DecayFraction, Extend, Init);
        TrainMetricsOptions.AddTo(command);
        command.SetAction((parse, ct) => Task.FromResult(Run(parse, ct)));
        return command;
    }

    /// <summary>Runs with the parsed options; returns the exit code.</summary>
    public static int Run(ParseResult parse, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Train(parse, ct);
    }

    private static int Train(ParseResult parse, CancellationToken ct)
    {
        string? corpus = parse.GetValue(Corpus);
        string task = parse.GetValue(TaskName) ?? (corpus is null ? "letter" : "charlm"); // a corpus means a language model
        int batch = parse.GetValue(Batch);
        long steps = parse.GetValue(Steps);
        double lr = parse.GetValue(Lr), dropout = parse.GetValue(Dropout), devFraction = parse.GetValue(DevFraction);
        int every = parse.GetValue(CheckpointEvery), progressEvery = parse.GetValue(ProgressEvery), delay = parse.GetValue(StepDelayMs);
        int maxEval = parse.GetValue(MaxEval), evalsPerEpoch = parse.GetValue(EvalsPerEpoch);
        long? growAt = parse.GetValue(GrowAtStep);
        double? growAtFraction = parse.GetValue(GrowAtFraction);
        int? growTo = parse.GetValue(GrowToD), growToLayers = parse.GetValue(GrowToLayers),
            growToHeads = parse.GetValue(GrowToHeads), threads = parse.GetValue(Threads), maxWindows = parse.GetValue(MaxWindows);
        string optimizerName = parse.GetValue(OptimizerName)!, selectorName = parse.GetValue(SelectorName)!,
            growOp = parse.GetValue(GrowOp)!;
        string? checkpointDir = parse.GetValue(CheckpointDir), savePath = parse.GetValue(Save);
        bool rescue = parse.GetValue(RescueOption), extend = parse.GetValue(Extend);
        int accumulate = parse.GetValue(Accumulate);
        string? init = parse.GetValue(Init);
        string precisionName = parse.GetValue(PrecisionOption)!;

        // Every check names the option and its value, and runs before any native call.
        Require(task is "letter" or "charlm", "--task", task, "must be letter or charlm");
        Require(Precisions.Names.Contains(precisionName, StringComparer.OrdinalIgnoreCase), "--precision", precisionName,
            $"must be {string.Join(", ", Precisions.Names)}");
        bool charLm = task == "charlm";
        int context = parse.GetValue(Context) ?? (charLm ? CharLmContext : LetterWindow);
        ModelSizeLimits.RequireSize("--context", context, ModelSizeLimits.MaxContext);
        var (d, heads, layers) = Shape.Read(parse);
        ModelSizeLimits.RequireSize("--steps", steps, ModelSizeLimits.MaxSteps);
        parse.Batch(Batch);
        parse.LearningRate(Lr);
        Require(double.IsFinite(dropout) && dropout >= 0 && dropout < 1, "--dropout", dropout, "must be in [0, 1)");
        Require(double.IsFinite(devFraction) && devFraction > 0 && devFraction < 1, "--dev-fraction", devFraction, "must be in (0, 1)");
        ModelSizeLimits.RequireSize("--max-eval", maxEval, ModelSizeLimits.MaxBatch);
        ModelSizeLimits.RequireSize("--evals-per-epoch", evalsPerEpoch, MaxEvalsPerEpoch);
        ModelSizeLimits.RequireSize("--checkpoint-every", every, ModelSizeLimits.MaxSteps);
        ModelSizeLimits.RequireSize("--progress-every", progressEvery, ModelSizeLimits.MaxSteps);
        Require(delay is >= 0 and <= MaxStepDelayMs, "--step-delay-ms", delay, $"must lie in 0..{MaxStepDelayMs}");
        ThreadCount.Require("--threads", threads);
        Require(maxWindows is null or >= 2, "--max-windows", maxWindows, "must be at least 2 (one train and one dev window)");
        Require(OptimizerFactories.Registry.Contains(optimizerName), "--optimizer", optimizerName,
            $"must be {string.Join(" or ", OptimizerFactories.Names)}");
        Require(BatchSelectors.Registry.Contains(selectorName), "--selector", selectorName,
            $"must be {string.Join(" or ", BatchSelectors.Names)}");
        Require(GrowthName.ParseOperator(growOp) is not null, "--grow-op", growOp,
            $"must be one of {string.Join(", ", GrowthOperators.Names)}");
        Require(growAt is null || growAtFraction is null, "--grow-at-fraction", growAtFraction, "cannot be combined with --grow-at-step");
        bool growing = growAt is not null || growAtFraction is not null;
        bool targeted = growTo is not null || growToLayers is not null || growToHeads is not null;
        var stageTexts = parse.GetValue(Grow) ?? [];
        if (stageTexts.Length > 0)
            Require(!growing && !targeted, "--grow", stageTexts[0],
                "cannot be combined with --grow-at-*/--grow-to-* (write every stage with --grow)");
        var stageSpecs = stageTexts.Select(t => GrowthStageSpec.Parse(t)).ToList();
        if (growing) Require(targeted, growAt is null ? "--grow-at-fraction" : "--grow-at-step", (object?)growAt ?? growAtFraction,
            "needs a target (--grow-to-d and/or --grow-to-layers)");
        if (targeted) Require(growing, growTo is null ? "--grow-to-layers" : "--grow-to-d", growTo ?? growToLayers,
            "needs a trigger (--grow-at-step or --grow-at-fraction)");
        if (growAt is { } at) Require(at > 0 && at < steps, "--grow-at-step", at, $"must lie in 1..{steps - 1} (below --steps)");
        if (growAtFraction is { } f) Require(double.IsFinite(f) && f > 0 && f < 1, "--grow-at-fraction", f, "must lie in (0, 1)");
        if (growTo is { } wide)
        {
            Require(wide > d, "--grow-to-d", wide, $"must be larger than --d {d}");
            if (growToHeads is null && GrowthOperators.Create(growOp) is not IHeadDimPreserving)
                Require(wide % heads == 0, "--grow-to-d", wide, $"must be divisible by --heads {heads}");
            ModelSizeLimits.RequireSize("--grow-to-d", wide, ModelSizeLimits.MaxWidth);
        }
        if (growToLayers is { } deep)
        {
            Require(deep > layers, "--grow-to-layers", deep, $"must be larger than --layers {layers}");
            ModelSizeLimits.RequireSize("--grow-to-layers", deep, ModelSizeLimits.MaxLayers);
        }
        _ = Core.BusDevice.Parse(parse.GetValue(Device)!);
        // Output paths are checked before any compute (the run must not train for hours and then fail to save).
        OutputPaths.RequireWritableFile("--save", savePath);
        OutputPaths.RequireWritableFolder("--checkpoint-dir", checkpointDir);
        if (rescue && checkpointDir is null)
            throw new ArgumentException("--rescue needs --checkpoint-dir (the folder of the run that stopped on a non-finite "
                + "loss).", "--rescue");
        Require(accumulate >= 1 && accumulate <= batch, "--accumulate", accumulate, $"must lie in 1..--batch {batch}");
        var schedule = ScheduleChoice.Parse(parse.GetValue(Schedule)!, parse.GetValue(DecayFraction));
        if (extend && (checkpointDir is null || rescue || init is not null))
            throw new ArgumentException(checkpointDir is null ? "--extend needs --checkpoint-dir (the folder of the run to extend)."
                : rescue ? "--extend cannot be combined with --rescue."
                : "--extend continues a run; --init starts a new one: use one of them.", "--extend");
        InitialWeights.RequireExists(init);
        if (extend && !File.Exists(Path.Combine(checkpointDir!, "last.safetensors")))
            throw new ArgumentException($"--extend: '{checkpointDir}' holds no checkpoint (last.safetensors) to extend.", "--extend");
        var metrics = TrainMetricsOptions.Read(parse, parse.GetResult(EvalsPerEpoch) is { Implicit: false }, checkpointDir);

        using var data = TrainData.Open(task, corpus, context, devFraction, maxWindows, ct);
        var tokenizer = RunTokenizer.Of(data.Train, charLm, corpus, init, RunTokenizer.OfInit(init)); // recorded in the saved model
        Require(batch <= data.Train.Count, "--batch", batch, $"exceeds the {data.Train.Count} training windows");
        ThreadCount.Apply("--threads", threads);

        var kind = charLm ? ExperimentTaskKind.CharLm : ExperimentTaskKind.LetterCounting;
        var objective = ExperimentTask.Objective(kind);
        var config = (ExperimentTask.Shape(kind, context) with { Heads = heads, Layers = layers, Dropout = dropout })
            .WithWidth(d).Validate();
        config = (config with { VocabSize = TokenStreamModel.VocabSize(data.Train,
            config.VocabSize) }).Validate(); // the stream's tokenizer
        var arch = parse.GetValue(Arch);
        int? kvHeads = parse.GetValue(KvHeads);
        bool tie = parse.GetValue(TieEmbeddings);
        Require(kvHeads is null || arch == Core.Model.ModelArchitecture.Llama, "--kv-heads", kvHeads,
            "needs --arch llama (grouped-query attention)");
        Require(kvHeads is null || (kvHeads > 0 && heads % kvHeads.Value == 0), "--kv-heads", kvHeads,
            $"must be positive and divide --heads {heads}");
        Require(!tie || (arch == Core.Model.ModelArchitecture.Llama && charLm), "--tie-embeddings", tie,
            "needs --arch llama and --task charlm (a decoder whose head predicts the vocabulary)");
        config = (config with { Architecture = arch, TieEmbeddings = tie }).Validate();
        if (kvHeads is { } kv) config = (config with { KvHeads = kv }).Validate();
        // The single-stage flags are one stage written another way; every stage grows from the one before it.
        if (growing) stageSpecs.Add(new GrowthStageSpec(growAtFraction, growAt, growOp, growTo, growToHeads, growToLayers));
        var stages = new List<GrowthStage>();
        foreach (var spec in stageSpecs)
            stages.Add(spec.ToStage(stages.Count == 0 ? config : stages[^1].Target, growing ? "--grow-to-d" : "--grow"));
        // The largest model of the run (after growth, when it grows) must fit in memory.
        var (sizeOption, sizeValue) = stages.Count == 0 ? ("--d", d)
            : growing ? (growTo is { } w ? ("--grow-to-d", w) : ("--grow-to-layers", growToLayers ?? growToHeads ?? d)) : ("--grow",
                stages[^1].Target.DModel);
        ModelSizeLimits.RequireFitsInMemory(sizeOption, sizeValue, stages.Count == 0 ? config : stages[^1].Target);
        var algorithms = new List<ITrainingAlgorithm>(metrics.Writers());
        if (stages.Count > 0) algorithms.Add(new GrowthSchedule(config, stages, parse.GetValue(Seed)));
        if (FaultInjection.FromEnvironment() is { } fault) algorithms.Add(fault); // the CLI's tests only (FaultInjection)
        IOptimizerFactory optimizer = OptimizerFactories.Create(optimizerName);
        IBatchSelector? selector = BatchSelectors.Create(selectorName);
        var options = new TrainerOptions
        {
            BatchSize = batch, LearningRate = lr, Seed = parse.GetValue(Seed), Budget = Budget.Steps(steps),
                Device = parse.GetValue(Device)!,
            MaxEvalExamples = maxEval, EvaluationsPerEpoch = evalsPerEpoch, AccumulationSteps = accumulate, Schedule = schedule,
            Precision = Precisions.Parse(precisionName), Recompute = parse.GetValue(RecomputeOption),
            EvaluateEverySteps = metrics.EvaluateEverySteps, EarlyStopping = metrics.EarlyStopping,
            Checkpoint = checkpointDir is null
                ? null
                : new CheckpointOptions
                {
                    Directory = checkpointDir, EverySteps = every, Rescue = rescue, Extend = extend,
                    Metadata = tokenizer?.ToMetadata() ?? new Dictionary<string, string>(),
                },
        };
        var trainer = new Trainer(options, optimizer, selector, algorithms);

        var model = GrowableTransformer.Create(config, options.Seed);
        if (init is not null)
        {
            try { InitialWeights.Load(init, model); }
            catch { model.Dispose(); throw; }
            Console.WriteLine($"initial weights from {init}");
        }
        if (options.Checkpoint is { } cp && File.Exists(cp.LastPath))
            Console.WriteLine($"{(rescue ? "rescuing" : extend ? "extending" : "resuming")} from {cp.LastPath}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"train: task={task} data={data.Description} context={context} d={d} layers={layers} heads={heads} steps={steps} "
                + $"batch={batch} lr={lr} schedule={schedule.Name} accumulate={accumulate} dropout={dropout} "
                + $"optimizer={optimizer.Name} selector={selectorName} seed={options.Seed} train windows={data.Train.Count}"));
        if (options.Precision != Precision.Fp32 || options.Recompute)
            Console.WriteLine($"compute: precision={options.Precision.Name()} recompute={(options.Recompute ? "on" : "off")}");
        var printer = new TrainingProgressPrinter(steps, (long)batch * context, progressEvery, objective.MetricName);
        var progress = new InlineProgress<TrainingProgress>(p =>
        {
            printer.Report(p);
            if (delay > 0) Thread.Sleep(delay);
        });
        var result = trainer.Fit(model, data.Train, data.Dev, objective, progress, ct);
        printer.Finish();
        using var final = result.Model;
        var growthLines = result.Growths.Select(g => TrainingState.LogLine(g.Step, g.Describe(objective.MetricName))).ToHashSet();
        bool Shown(string l) => l.Contains("] resumed", StringComparison.Ordinal) || l.Contains("] rescued",
            StringComparison.Ordinal) || l.Contains("] extended", StringComparison.Ordinal)
            || l.Contains("] early stopping", StringComparison.Ordinal) || growthLines.Contains(l);
        foreach (var log in result.Log.Where(Shown))
            Console.WriteLine(log);
        var last = result.History[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"done: {result.Reason} at step {result.Meter.Steps}, {final.Config.Describe()}, dev loss {last.DevLoss:F4}, "
            + $"dev {objective.MetricName} {last.DevMetric:F4}{TokenStreamModel.BitsPerByteText(data.Train, last.DevLoss)}"));
        using (var self = System.Diagnostics.Process.GetCurrentProcess())
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory: peak resident {self.PeakWorkingSet64 / 1048576.0:F0} MB, model "
                    + $"{ModuleDevice.ParameterCount(final) * 4 / 1048576.0:F1} MB of float32 parameters"));
        metrics.Finish(result, objective.MetricName);
        if (result.Reason == StopReason.Cancelled) return Cancelled;
        if (savePath is not null)
        {
            ModelCheckpoint.Save(final, savePath, tokenizer?.ToMetadata());
            Console.WriteLine($"saved {savePath}");
        }
        return 0;
    }

    private static void Require(bool ok, string option, object? value, string rule)
    {
        if (!ok) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{option} {value}: {rule}."), option);
    }

    /// <summary>
    /// The run's train and dev data: in-memory windows (letter task, or char LM on the built-in slice) or a token stream.
    /// </summary>
    private sealed class TrainData : IDisposable
    {
        private readonly IDisposable _train, _dev;

        private TrainData(ITrainingData train, ITrainingData dev, string description)
        {
            (Train, Dev, Description) = (train, dev, description);
            (_train, _dev) = ((IDisposable)train, (IDisposable)dev);
        }

        public ITrainingData Train { get; }
        public ITrainingData Dev { get; }
        public string Description { get; }

        public static TrainData Open(string task, string? corpus, int context, double devFraction, int? maxWindows, CancellationToken ct)
        {
            if (corpus is not null && !File.Exists(corpus)) throw new FileNotFoundException($"--corpus {corpus}: the file does not "
                + $"exist.", corpus);
            bool prepared = corpus is not null && corpus.EndsWith(TokenStreamFile.Extension, StringComparison.OrdinalIgnoreCase);
            if (task == "charlm" && corpus is not null)
            {
                Require(maxWindows is null, "--max-windows", maxWindows,
                    "applies to in-memory windows; a token stream is sampled at random offsets");
                string stream = prepared ? corpus : PrepareOnce(corpus, ct);
                var (train, dev) = TokenStreamData.Split(stream, context, devFraction);
                return new TrainData(train, dev,
                    $"{stream} ({train.Header.Count:N0} tokens of {train.Header.TokenizerIdentity.Name}, vocabulary "
                    + $"{train.VocabularySize}, sha256 verified, windows read from the file)");
            }
            Require(!prepared, "--corpus", corpus, "is a token stream; the letter task needs text (use --task charlm for .bustok files)");
            string text = corpus is null ? BuiltInCorpus.BrownSlice() : Text8.Load(corpus); // bounded, UTF-8 only (CorpusText)
            var (trainSet, devSet) = task == "charlm"
                ? CharLmTaskData.Build(text, context, devFraction, maxWindows)
                : LetterCountingTaskData.Build(text, context, devFraction, maxWindows);
            return new TrainData(trainSet, devSet, corpus ?? "built-in Brown slice");
        }

        /// <summary>
        /// Prepares <paramref name="text"/> into TEXT.bustok unless one prepared from the text's current bytes exists (its
        /// header's source length and SHA-256 match: file dates are not trusted, so a text replaced by an older-dated one is
        /// prepared again). Concurrent preparations write distinct temporary files and the last rename wins.
        /// </summary>
        private static string PrepareOnce(string text, CancellationToken ct)
        {
            string stream = text + TokenStreamFile.Extension;
            if (TokenStreamFile.IsPreparedFrom(stream, text))
            {
                Console.WriteLine($"using prepared {stream}");
                return stream;
            }
            if (File.Exists(stream)) Console.WriteLine($"{stream} was not prepared from the current {text}: preparing it again");
            PrepareCommand.Prepare(text, stream, ct, "--corpus"); // Ctrl+C stops the preparation too (its temporary file is removed)
            return stream;
        }

        public void Dispose()
        {
            _train.Dispose();
            _dev.Dispose();
        }
    }
}
