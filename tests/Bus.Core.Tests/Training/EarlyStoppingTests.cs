namespace Bus.Core.Tests.Training;

/// <summary>Early stopping on scripted dev curves: the evaluation it stops at is worked out by hand.</summary>
[Collection(DeterminismCollection.Name)]
public sealed class EarlyStoppingTests
{
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 1, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    [Theory]
    // Patience 3, min delta 0.02: best 0.8 at evaluation 2; 0.85, 0.79 (gain 0.01 is not enough) and 0.80 → stop at 5.
    [InlineData(new[] { 1.0, 0.8, 0.85, 0.79, 0.80, 0.81 }, 3, 0.02, 5)]
    // Min delta 0: 0.79 improves (evaluation 4); 0.80 and 0.81 are two bad evaluations: no stop within the curve.
    [InlineData(new[] { 1.0, 0.8, 0.85, 0.79, 0.80, 0.81 }, 3, 0.0, -1)]
    // Patience 1: the first evaluation that does not improve stops the run.
    [InlineData(new[] { 3.0, 2.0, 2.0, 1.0 }, 1, 0.0, 3)]
    // NaN never improves.
    [InlineData(new[] { 1.0, double.NaN, double.NaN }, 2, 0.0, 3)]
    public void StopsAtTheExpectedEvaluationOfALossCurve(double[] curve, int patience, double minDelta, int expectedStop)
    {
        var stopping = new EarlyStopping(new EarlyStoppingOptions { Patience = patience, MinDelta = minDelta });
        int stoppedAt = -1;
        for (int i = 0; i < curve.Length && stoppedAt < 0; i++)
            if (stopping.Observe(curve[i], step: 10 * (i + 1))) stoppedAt = i + 1;
        stoppedAt.Should().Be(expectedStop);
    }

    [Fact]
    public void AHigherIsBetterMetricImprovesUpwards()
    {
        // Accuracy 0.5, 0.7 (best), 0.69, 0.65 → patience 2 spent at evaluation 4; best 0.7 at step 20.
        var stopping = new EarlyStopping(new EarlyStoppingOptions { Patience = 2, Monitor = EarlyStoppingMonitor.DevMetric });
        new[] { 0.5, 0.7, 0.69 }.Select((a, i) => stopping.Observe(a, 10 * (i + 1), higherIsBetter: true))
            .Should().OnlyContain(stop => !stop);
        stopping.Observe(0.65, 40, higherIsBetter: true).Should().BeTrue();
        (stopping.Best, stopping.BestStep).Should().Be((0.7, 20L));
    }

    [Fact]
    public void TheTrainerStopsCleanlyAtTheExpectedEvaluationOfAScriptedDevCurve()
    {
        // Dev losses 1.0, 0.9 (best), 0.95, 0.97, 0.99, then lower ones that must never be reached: with patience 3,
        // evaluation 5 (step 10 at one evaluation every 2 steps) ends the run.
        var objective = new ScriptedDevLoss([1.0, 0.9, 0.95, 0.97, 0.99, 0.1, 0.05]);
        using var train = TestData.LetterCounting(64, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        var options = new TrainerOptions
        {
            BatchSize = 8, Budget = Budget.Steps(40), Seed = 1, EvaluateEverySteps = 2,
            EarlyStopping = new EarlyStoppingOptions { Patience = 3 },
        };
        var result = new Trainer(options).Fit(GrowableTransformer.Create(Config, 1), train, dev, objective);
        using var final = result.Model;
        result.Reason.Should().Be(StopReason.Requested);
        result.Meter.Steps.Should().Be(10);
        // The dev loss is Σ(batch loss x count) / Σ count: the script comes back up to rounding.
        result.History.Select(h => h.DevLoss).Should().Equal([1.0, 0.9, 0.95, 0.97, 0.99], (a, e) => Math.Abs(a - e) <= 1e-12 * e);
        result.Log.Should().Contain(l =>
            l.Contains("early stopping: dev loss did not improve by more than 0 for 3 evaluations; best 0.9 at step 4"));
    }

    [Fact]
    public void AResumedRunThatHadStoppedEarlyStopsAgainAtOnceAndTheCsvKeepsItsRows()
    {
        string dir = Directory.CreateTempSubdirectory("bus-early-").FullName;
        try
        {
            using var train = TestData.LetterCounting(64, 12, seed: 1);
            using var dev = TestData.LetterCounting(16, 12, seed: 2);
            var options = new TrainerOptions
            {
                BatchSize = 8, Budget = Budget.Steps(40), Seed = 1, EvaluateEverySteps = 2,
                EarlyStopping = new EarlyStoppingOptions { Patience = 2 },
                Checkpoint = new Bus.Core.Checkpoints.CheckpointOptions { Directory = dir, EverySteps = 100 },
            };
            string csv = Path.Combine(dir, "metrics.csv");
            // Dev losses 1.0 (best), 1.1, 1.2: patience 2 ends the run at evaluation 3, step 6 (not a checkpoint step).
            var first = new Trainer(options, algorithms: [new Bus.Core.Training.Metrics.MetricsCsvWriter(csv)])
                .Fit(GrowableTransformer.Create(Config, 1), train, dev, new ScriptedDevLoss([1.0, 1.1, 1.2]));
            first.Module.Dispose();
            first.Meter.Steps.Should().Be(6);
            var rows = File.ReadAllLines(csv);
            rows.Should().HaveCount(4);

            var again = new Trainer(options, algorithms: [new Bus.Core.Training.Metrics.MetricsCsvWriter(csv)])
                .Fit(GrowableTransformer.Create(Config, 1), train, dev, new ScriptedDevLoss([]));
            again.Module.Dispose();
            again.Reason.Should().Be(StopReason.Requested);
            again.Meter.Steps.Should().Be(6, "the stopping step was checkpointed and the restored history says stop");
            again.History.Should().HaveCount(3);
            File.ReadAllLines(csv).Should().Equal(rows, "the resumed run keeps the rows (and their learning rates) and adds none");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BadOptionsNameTheField()
    {
        FluentActions.Invoking(() => new EarlyStoppingOptions { Patience = 0 })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Patience");
        FluentActions.Invoking(() => new EarlyStoppingOptions { MinDelta = -1 })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinDelta");
        FluentActions.Invoking(() => new EarlyStoppingOptions { MinDelta = double.NaN })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinDelta");
    }

    /// <summary>Per-token classification whose dev loss (the loss computed without gradients) follows a script.</summary>
    private sealed class ScriptedDevLoss(double[] script) : ITrainingObjective
    {
        private readonly ITrainingObjective _inner = SequenceObjective.TokenClassification;
        private int _next;

        public string MetricName => _inner.MetricName;
        public bool HigherIsBetter => _inner.HigherIsBetter;

        public Tensor Loss(Tensor output, Tensor targets) =>
            is_grad_enabled() ? _inner.Loss(output, targets) : tensor(script[_next++], float64);

        public Tensor PerExampleLoss(Tensor output, Tensor targets) => _inner.PerExampleLoss(output, targets);
        public (double Sum, long Count) MetricSum(Tensor output, Tensor targets) => _inner.MetricSum(output, targets);
        public double Finish(double sum, long count) => _inner.Finish(sum, count);
    }
}
