namespace Bus.Core.Tests.Training;

/// <summary>bf16 and fp16 training on a compute copy with fp32 master weights (CPU numerics).</summary>
[Collection(DeterminismCollection.Name)]
public class MixedPrecisionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-precision-").FullName;

    private static TrainingResult Train(Precision precision, long steps, long seed = 4, ITrainingObjective? objective = null,
        IEnumerable<ITrainingAlgorithm>? algorithms = null, CheckpointOptions? checkpoint = null, CancellationToken token = default)
    {
        using var train = TestData.LetterCounting(256, 10, seed: 1);
        using var dev = TestData.LetterCounting(64, 10, seed: 2);
        var options = new TrainerOptions
        {
            BatchSize = 16, Budget = Budget.Steps(steps), Seed = seed, Precision = precision, LearningRate = 3e-3,
            EvaluateEveryFraction = 0.1, Checkpoint = checkpoint,
        };
        return new Trainer(options, algorithms: algorithms).Fit(GrowableTransformer.Create(TestData.Tiny, seed: seed), train, dev,
            objective ?? SequenceObjective.TokenClassification, cancellationToken: token);
    }

    [Theory]
    [InlineData(Precision.Bf16, 1L)]
    [InlineData(Precision.Bf16, 2L)]
    [InlineData(Precision.Fp16, 1L)]
    [InlineData(Precision.Fp16, 2L)]
    public void A200StepLossCurveStaysWithinTolerancesOfFp32(Precision precision, long seed)
    {
        var reference = Train(Precision.Fp32, 200, seed);
        var low = Train(precision, 200, seed);
        // Tolerance (docs/training.md): every dev-loss point within 2% of fp32's, relative (measured: at most 0.17%); the run must also learn.
        low.History.Should().HaveCount(reference.History.Count);
        foreach (var (a, b) in reference.History.Zip(low.History))
            Math.Abs(b.DevLoss - a.DevLoss).Should().BeLessThan(0.02 * a.DevLoss, $"step {a.Step}: {precision} {b.DevLoss} vs fp32 {a.DevLoss}");
        double worst = reference.History.Zip(low.History).Max(t => Math.Abs(t.Second.DevLoss - t.First.DevLoss) / t.First.DevLoss);
        output.WriteLine($"{precision} seed {seed}: fp32 {string.Join(' ', reference.History.Select(h => h.DevLoss.ToString("F4")))}");
        output.WriteLine($"{precision} seed {seed}: low  {string.Join(' ', low.History.Select(h => h.DevLoss.ToString("F4")))}");
        output.WriteLine($"largest relative difference {worst:P2}");
        // An untrained model's loss is about ln(3) (3 classes); 200 steps must bring it well below.
        low.Final.DevLoss.Should().BeLessThan(0.8 * Math.Log(TestData.Tiny.OutputSize), "200 steps must lower the dev loss");
        low.Model.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32, "the masters stay fp32");
        reference.Module.Dispose(); low.Module.Dispose();
    }

    [Fact]
    public void TheComputeCopyIsLowPrecisionAndTheMastersGetFp32GradientsCloseToFp32s()
    {
        using var master = GrowableTransformer.Create(TestData.Tiny, seed: 3);
        using var step = new MixedPrecisionStep(Precision.Bf16);
        using var scope = NewDisposeScope();
        var g = new Generator(2);
        var tokens = randint(0, TestData.Tiny.VocabSize, [8, 10], generator: g);
        var targets = randint(0, TestData.Tiny.OutputSize, [8, 10], generator: g);
        Tensor Loss(Tensor logits) => nn.functional.cross_entropy(logits.reshape(-1, TestData.Tiny.OutputSize), targets.reshape(-1));

        master.eval();
        Loss(master.forward(tokens)).backward();
        var reference = master.parameters().Select(p => p.grad!.clone()).ToList();
        master.zero_grad();

        var logits = step.Forward(master, tokens);
        logits.dtype.Should().Be(ScalarType.Float32, "the loss is computed in fp32");
        step.ComputeCopy!.parameters().Should().OnlyContain(p => p.dtype == ScalarType.BFloat16);
        step.Backward(Loss(logits)).Should().BeTrue();
        master.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32);
        master.parameters().Select(p => p.grad!.dtype).Should().OnlyContain(d => d == ScalarType.Float32);
        // bf16 keeps 8 significant bits: the whole gradient vector is within 5% (relative, in norm) of fp32's.
        var low = cat(master.parameters().Select(p => p.grad!.flatten()).ToArray());
        var full = cat(reference.Select(r => r.flatten()).ToArray());
        (low - full).norm().item<float>().Should().BeLessThan(0.05f * full.norm().item<float>());
    }

    /// <summary>
    /// Accumulation in low precision: four micro-batches through the compute copy leave the masters the gradient of one
    /// whole-batch pass in the same precision (parts accumulate in the copy, one cast to fp32 at the end; fp16 at the
    /// scaler's initial 2^16 scale). Tolerance relative to the gradient's norm: bf16's 8-bit mantissa sums the four parts
    /// in another order than one pass (5%); fp16 keeps 11 bits (1%).
    /// </summary>
    [Theory]
    [InlineData(Precision.Bf16, 0.05)]
    [InlineData(Precision.Fp16, 0.01)]
    public void MicroBatchesInLowPrecisionGiveTheWholeBatchGradient(Precision precision, double tolerance)
    {
        using var master = GrowableTransformer.Create(TestData.Tiny, seed: 3);
        using var optimizer = optim.AdamW(master.parameters());
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var tokens = randint(0, TestData.Tiny.VocabSize, [8, 10], generator: g);
        var targets = randint(0, TestData.Tiny.OutputSize, [8, 10], generator: g);
        var batch = new SelectedBatch(tokens, targets, 0);
        master.eval();
        List<Tensor> Gradients(int parts)
        {
            using var step = new MixedPrecisionStep(precision);
            double loss = GradientAccumulation.ForwardBackward(master, SequenceObjective.TokenClassification, optimizer, batch, parts, step, out bool overflowed);
            overflowed.Should().BeFalse();
            double.IsFinite(loss).Should().BeTrue();
            return master.parameters().Select(p => p.grad!.clone()).ToList();
        }
        var whole = cat(Gradients(1).Select(t => t.flatten()).ToArray());
        var parts = cat(Gradients(4).Select(t => t.flatten()).ToArray());
        (parts - whole).norm().item<float>().Should().BeLessThan((float)(tolerance * whole.norm().item<float>()));
        whole.norm().item<float>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void AnFp16OverflowSkipsTheStepAndHalvesTheScale()
    {
        using var master = GrowableTransformer.Create(TestData.Tiny, seed: 3);
        using var step = new MixedPrecisionStep(Precision.Fp16);
        using var scope = NewDisposeScope();
        var tokens = randint(0, TestData.Tiny.VocabSize, [4, 10], generator: new Generator(5));
        // d(1000 · sum(logits))/d(logit) = 1000 per logit; × 65536 = 6.6e7, far above fp16's largest finite value 65504.
        step.Backward(step.Forward(master, tokens).sum() * 1000).Should().BeFalse();
        step.Scaler!.Scale.Should().Be(32768);
        step.Scaler.SkippedSteps.Should().Be(1);
        // A loss whose scaled gradients fit: d(1e-3 · mean)/d(logit) is tiny; the step is kept, the scale unchanged.
        step.Backward(step.Forward(master, tokens).mean() * 1e-3).Should().BeTrue();
        step.Scaler.Scale.Should().Be(32768);
        master.parameters().Select(p => p.grad?.dtype).Should().OnlyContain(d => d == ScalarType.Float32);
    }

    /// <summary>The task loss times a large factor: fp16's scaled gradients overflow until the scale has backed off.</summary>
    private sealed class Amplified(ITrainingObjective inner, double factor) : ITrainingObjective
    {
        public Tensor Loss(Tensor output, Tensor targets) => inner.Loss(output, targets) * factor;
        public (double Sum, long Count) MetricSum(Tensor output, Tensor targets) => inner.MetricSum(output, targets);
        public double Finish(double sum, long count) => inner.Finish(sum, count);
        public string MetricName => inner.MetricName;
        public bool HigherIsBetter => inner.HigherIsBetter;
        public Tensor PerExampleLoss(Tensor output, Tensor targets) => inner.PerExampleLoss(output, targets) * factor;
        public override string ToString() => $"amplified {inner}";
    }

    [Fact]
    public void InTheTrainerAnOverflowedFp16StepLeavesTheWeightsUnchangedAndIsLogged()
    {
        using var initial = GrowableTransformer.Create(TestData.Tiny, seed: 4);
        var result = Train(Precision.Fp16, 1, objective: new Amplified(SequenceObjective.TokenClassification, 1e6));
        result.Log.Should().Contain(l => l.Contains("skipped step 1: fp16 gradients overflowed; loss scale lowered to 32768"));
        foreach (var ((name, a), (_, b)) in initial.named_parameters().Zip(result.Model.named_parameters()))
            b.data<float>().ToArray().Should().Equal(a.data<float>().ToArray(), $"{name} must be unchanged by a skipped step");
        result.Module.Dispose();
    }

    /// <summary>Replaces the model by a deeper one after step 3 (stands in for a growth stage).</summary>
    private sealed class Deepen : ITrainingAlgorithm
    {
        public string Name => "deepen";
        public AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;
        public void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e != TrainingEvent.StepEnd || state.Meter.Steps != 3) return;
            state.ReplaceModel(GrowableTransformer.Create(state.Transformer.Config with { Layers = 3 }, seed: 9), "test growth");
        }
    }

    [Fact]
    public void AfterGrowthTheMastersAreTheGrownModelAndTrainingGoesOn()
    {
        var result = Train(Precision.Bf16, 12, algorithms: [new Deepen()]);
        result.Model.Config.Layers.Should().Be(3);
        result.Model.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32);
        result.History[^1].Layers.Should().Be(3);
        double.IsFinite(result.Final.TrainLoss).Should().BeTrue();
        result.Module.Dispose();
    }

    [Fact]
    public void AnFp16RunResumesBitwiseWithItsLossScale()
    {
        var objective = new Amplified(SequenceObjective.TokenClassification, 3e4); // some early steps overflow
        var full = Train(Precision.Fp16, 16, objective: objective, checkpoint: Options("full"));
        full.Log.Should().Contain(l => l.Contains("fp16 gradients overflowed"), "the test needs the scale to have moved");
        using var cts = new CancellationTokenSource();
        var stopAt = new StopAt(8, cts);
        var interrupted = Train(Precision.Fp16, 16, objective: objective, algorithms: [stopAt], checkpoint: Options("kill"), token: cts.Token);
        interrupted.Module.Dispose();
        var resumed = Train(Precision.Fp16, 16, objective: objective, checkpoint: Options("kill"));
        resumed.Log.Should().Contain(l => l.Contains("resumed") && l.Contains("step 8"));
        CheckpointResumeTests.AssertSameWeights(full.Model, resumed.Model);
        full.Module.Dispose(); resumed.Module.Dispose();
    }

    private CheckpointOptions Options(string name) => new() { Directory = Path.Combine(_dir, name), EverySteps = 4 };

    private sealed class StopAt(long step, CancellationTokenSource cts) : ITrainingAlgorithm
    {
        public string Name => "stop-at";
        public AlgorithmTraits Traits => AlgorithmTraits.None;
        public void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e == TrainingEvent.StepEnd && state.Meter.Steps == step) cts.Cancel();
        }
    }

    [Fact]
    public void AResumeInAnotherPrecisionIsRefused()
    {
        Train(Precision.Bf16, 4, checkpoint: Options("bf16")).Module.Dispose();
        var act = () => Train(Precision.Fp32, 4, checkpoint: Options("bf16"));
        act.Should().Throw<ResumeMismatchException>().WithMessage("*precision: checkpoint bf16, this run (none)*");
    }

    [Fact]
    public void LowPrecisionNeedsAGrowableTransformer()
    {
        using var train = new TensorDataset(zeros(16, 4), zeros(16, 1));
        using var dev = new TensorDataset(zeros(4, 4), zeros(4, 1));
        var act = () => new Trainer(new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(1), Precision = Precision.Bf16 })
            .Fit(nn.Linear(4, 1), train, dev, new RegressionObjective());
        act.Should().Throw<ArgumentException>().WithMessage("*Precision bf16 needs a GrowableTransformer*Linear*");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
