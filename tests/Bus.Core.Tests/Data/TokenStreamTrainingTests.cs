using Bus.Core.Tests.Training;

namespace Bus.Core.Tests.Data;

/// <summary>Training a char LM on a memory-mapped token stream, and resuming it bit for bit after a stop.</summary>
[Collection(DeterminismCollection.Name)]
public class TokenStreamTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-stream-train-").FullName;
    private static readonly TransformerConfig Config = new()
    {
        DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, MaxLength = 16, Dropout = 0.1,
        VocabSize = CharVocabulary.Size, Mode = ModelMode.Decoder,
    };

    public TokenStreamTrainingTests()
    {
        var text = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog ", 60));
        File.WriteAllText(Path.Combine(_dir, "corpus.txt"), text);
        TokenStreamFile.Prepare(Path.Combine(_dir, "corpus.txt"), Path.Combine(_dir, "corpus.bustok"));
    }

    private TrainingResult Run(string name, long cancelAt = 0)
    {
        var (train, dev) = TokenStreamData.Split(Path.Combine(_dir, "corpus.bustok"), context: 16, devFraction: 0.1);
        using (train)
        using (dev)
        using (var cts = new CancellationTokenSource())
        {
            var options = new TrainerOptions
            {
                BatchSize = 8, Budget = Budget.Steps(24), Seed = 9, EvaluationsPerEpoch = 2, MaxEvalExamples = 8,
                Checkpoint = new CheckpointOptions { Directory = Path.Combine(_dir, name), EverySteps = 5 },
            };
            ITrainingAlgorithm[] algorithms = cancelAt > 0 ? [new CancelAt(cancelAt, cts)] : [];
            return new Trainer(options, algorithms: algorithms).Fit(GrowableTransformer.Create(Config, 9), train, dev, SequenceObjective.LanguageModel, cancellationToken: cts.Token);
        }
    }

    [Fact]
    public void ALanguageModelOnATokenStreamResumesBitwiseAfterAStop()
    {
        var full = Run("full");
        full.Final.DevMetric.Should().BeLessThan(Math.Log2(27), "24 steps on a repetitive text must beat the uniform 4.75 bits per character");
        var stopped = Run("cut", cancelAt: 12);
        stopped.Reason.Should().Be(StopReason.Cancelled);
        stopped.Module.Dispose();
        var resumed = Run("cut");
        // A cancel writes a checkpoint at the step it stopped (docs/reliability.md), so the resume starts there.
        resumed.Log.Should().Contain(l => l.Contains("resumed") && l.Contains("step 12"));
        resumed.Meter.Steps.Should().Be(24);
        Training.CheckpointResumeTests.AssertSameWeights(full.Model, resumed.Model);
        resumed.History.Select(h => (h.Step, h.DevLoss)).Should().Equal(full.History.Select(h => (h.Step, h.DevLoss)));
        full.Module.Dispose(); resumed.Module.Dispose();
    }

    [Fact]
    public void AContextAboveTheModelsMaxLengthIsRefused()
    {
        var (train, dev) = TokenStreamData.Split(Path.Combine(_dir, "corpus.bustok"), context: 32);
        using (train)
        using (dev)
        {
            using var model = GrowableTransformer.Create(Config, 1);
            var act = () => new Trainer(new TrainerOptions()).Fit(model, train, dev, SequenceObjective.LanguageModel);
            act.Should().Throw<ArgumentException>().WithParameterName("train").WithMessage("*length 32*MaxLength 16*");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
