namespace Bus.Core.Tests.Training;

/// <summary>The trainer with modules that are not GrowableTransformers: a small MLP on regression data.</summary>
[Collection(DeterminismCollection.Name)]
public class AnyModuleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-anymodule-").FullName;

    /// <summary>y = x · w for a fixed w, 4 features, float32.</summary>
    private static TensorDataset Linear(int n, int seed)
    {
        var g = new Generator((ulong)seed);
        var x = randn(n, 4, generator: g);
        var w = tensor(new float[] { 1, -2, 0.5f, 3 }, [4, 1]);
        return new TensorDataset(x, x.matmul(w));
    }

    private static nn.Module<Tensor, Tensor> Mlp(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(4, 16)), ("act", nn.Tanh()), ("fc2", nn.Linear(16, 1)));
    }

    private TrainingResult Run(string? checkpointName, long steps, CancellationToken token = default)
    {
        using var train = Linear(256, 1);
        using var dev = Linear(64, 2);
        var options = new TrainerOptions
        {
            BatchSize = 16, Budget = Budget.Steps(steps), Seed = 3, LearningRate = 1e-2, EvaluationsPerEpoch = 4,
            Checkpoint = checkpointName is null ? null : new CheckpointOptions { Directory = Path.Combine(_dir, checkpointName), EverySteps = 5 },
        };
        return new Trainer(options).Fit(Mlp(7), train, dev, new RegressionObjective(), cancellationToken: token);
    }

    [Fact]
    public void AnMlpLearnsARegressionThroughTheTrainer()
    {
        var result = Run(null, 150);
        var first = result.History[0].DevMetric;
        result.Final.DevMetric.Should().BeLessThan(first / 4, "150 AdamW steps on a linear target must cut the dev MSE well below its early value");
        result.Module.Should().NotBeNull();
        var act = () => result.Model;
        act.Should().Throw<InvalidOperationException>().WithMessage("*GrowableTransformer*");
        result.Module.Dispose();
    }

    [Fact]
    public void FlopsFallBackToSixTimesParametersTimesExamples()
    {
        var result = Run(null, 3);
        // Parameters: 4*16 + 16 + 16*1 + 1 = 97; 3 steps of 16 examples, forward + backward = 6 N per example.
        result.Meter.Flops.Should().Be(6.0 * 97 * 16 * 3);
        result.Module.Dispose();
    }

    [Fact]
    public void APlainModuleResumesBitwiseFromACheckpoint()
    {
        var full = Run("full", 20);
        // Stop after step 12 (a cancel writes a checkpoint at the step it stopped, docs/reliability.md), drop the run, resume.
        var interrupted = RunCancelledAt("kill", 12);
        interrupted.Module.Dispose();
        var resumed = Run("kill", 20);
        resumed.Log.Should().Contain(l => l.Contains("resumed") && l.Contains("step 12"));
        foreach (var ((name, a), (_, b)) in full.Module.named_parameters().Zip(resumed.Module.named_parameters()))
            a.data<float>().ToArray().Should().Equal(b.data<float>().ToArray(), $"parameter {name} must match bit for bit");
        full.Module.Dispose(); resumed.Module.Dispose();
    }

    private TrainingResult RunCancelledAt(string name, long step)
    {
        using var train = Linear(256, 1);
        using var dev = Linear(64, 2);
        using var cts = new CancellationTokenSource();
        var options = new TrainerOptions
        {
            BatchSize = 16, Budget = Budget.Steps(20), Seed = 3, LearningRate = 1e-2, EvaluationsPerEpoch = 4,
            Checkpoint = new CheckpointOptions { Directory = Path.Combine(_dir, name), EverySteps = 5 },
        };
        return new Trainer(options, algorithms: [new CancelAt(step, cts)]).Fit(Mlp(7), train, dev, new RegressionObjective(), cancellationToken: cts.Token);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
