namespace Bus.Core.Tests.Training;

[Collection(DeterminismCollection.Name)]
public class CheckpointResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-resume-").FullName;
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 2, MaxLength = 12, Dropout = 0.1 };

    private TrainingResult Run(string name, CancellationToken token = default, params ITrainingAlgorithm[] algorithms)
    {
        using var train = TestData.LetterCounting(200, 12, seed: 1);
        using var dev = TestData.LetterCounting(40, 12, seed: 2);
        var options = new TrainerOptions
        {
            BatchSize = 16, Budget = Budget.Steps(30), Seed = 4, EvaluationsPerEpoch = 2,
            Checkpoint = new CheckpointOptions { Directory = Path.Combine(_dir, name), EverySteps = 7 },
        };
        return new Trainer(options, algorithms: algorithms).Fit(GrowableTransformer.Create(Config, 4), train, dev, SequenceObjective.TokenClassification, cancellationToken: token);
    }

    [Fact]
    public void ResumeAfterInterruptionGivesBitwiseIdenticalWeights()
    {
        var full = Run("full");
        using var cts = new CancellationTokenSource();
        var interrupted = Run("cut", cts.Token, new CancelAt(17, cts));
        interrupted.Reason.Should().Be(StopReason.Cancelled);
        interrupted.Model.Dispose();

        // Cancellation finishes step 17 and writes a checkpoint there (issue 12: before, the resume went back to step 14).
        var resumed = Run("cut");
        resumed.Log.Should().Contain(l => l.Contains("resumed") && l.Contains("step 17"));
        resumed.Meter.Steps.Should().Be(30);
        AssertSameWeights(full.Model, resumed.Model);
        resumed.History.Select(h => (h.Step, h.DevLoss)).Should().Equal(full.History.Select(h => (h.Step, h.DevLoss)));
        full.Model.Dispose(); resumed.Model.Dispose();
    }

    [Fact]
    public void CorruptCheckpointFailsLoudlyInsteadOfTrainingFromScratch()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "bad"));
        File.WriteAllBytes(Path.Combine(_dir, "bad", "last.safetensors"), [1, 2, 3]);
        var act = () => Run("bad");
        act.Should().Throw<IOException>().WithMessage("*last.safetensors*");
    }

    internal static void AssertSameWeights(GrowableTransformer a, GrowableTransformer b)
    {
        a.Config.Should().Be(b.Config);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            pa.data<float>().ToArray().Should().Equal(pb.data<float>().ToArray(), $"parameter {name} must match bit for bit");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
