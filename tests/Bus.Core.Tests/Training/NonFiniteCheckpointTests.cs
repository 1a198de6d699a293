namespace Bus.Core.Tests.Training;

/// <summary>A NaN loss under <see cref="NonFiniteLossPolicy.Stop"/> never overwrites the last good checkpoint.</summary>
[Collection(DeterminismCollection.Name)]
public sealed class NonFiniteCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-nan-").FullName;
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    [Fact]
    public void NanLossLeavesLastGoodCheckpointUntouchedAndFinite()
    {
        var checkpoint = new CheckpointOptions { Directory = _dir, EverySteps = 5 };
        var poison = new PoisonAt(12, checkpoint.LastPath);
        var act = () => Run(checkpoint, poison);

        act.Should().Throw<NonFiniteLossException>().Which.Step.Should().Be(12);
        poison.BytesBeforePoison.Should().NotBeNull("the step-10 checkpoint must exist when step 12 starts");
        File.ReadAllBytes(checkpoint.LastPath).Should().Equal(poison.BytesBeforePoison, "the failing step must not write a checkpoint");
        using (var content = SafeTensorsFile.Load(checkpoint.LastPath))
        {
            var weights = content.Tensors.Where(kv => kv.Key.StartsWith("model/", StringComparison.Ordinal)).ToList();
            weights.Should().NotBeEmpty();
            foreach (var (name, t) in weights) t.isfinite().all().item<bool>().Should().BeTrue($"{name} must be finite");
            content.Metadata["meter"].Should().StartWith("[10,");
        }

        // The run resumes from the good checkpoint and finishes with finite weights.
        var resumed = Run(checkpoint);
        resumed.Log.Should().Contain(l => l.Contains("resumed") && l.Contains("step 10"));
        resumed.Meter.Steps.Should().Be(20);
        foreach (var (name, p) in resumed.Model.named_parameters()) p.isfinite().all().item<bool>().Should().BeTrue(name);
        resumed.Model.Dispose();
    }

    private static TrainingResult Run(CheckpointOptions checkpoint, params ITrainingAlgorithm[] algorithms)
    {
        using var train = TestData.LetterCounting(96, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(20), Seed = 1, Checkpoint = checkpoint, OnNonFiniteLoss = NonFiniteLossPolicy.Stop };
        return new Trainer(options, algorithms: algorithms).Fit(GrowableTransformer.Create(Config, 1), train, dev, SequenceObjective.TokenClassification);
    }

    /// <summary>At the start of step <paramref name="step"/>, records the checkpoint bytes and sets the head bias to NaN.</summary>
    private sealed class PoisonAt(long step, string checkpointPath) : TrainingCallback
    {
        public byte[]? BytesBeforePoison { get; private set; }

        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e != TrainingEvent.StepStart || state.Meter.Steps != step - 1) return;
            BytesBeforePoison = File.Exists(checkpointPath) ? File.ReadAllBytes(checkpointPath) : null;
            using var noGrad = no_grad();
            state.Transformer.named_parameters().Single(p => p.name == ParameterNames.HeadBias).parameter.fill_(double.NaN);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
