namespace Bus.Growth.Tests.Masked;

/// <summary>Growth schedules drive the MSG mask inside one Fit (ramp, removal, checkpoint resume) and run MIDAS stages.</summary>
[Collection(TrainingCollection.Name)]
public class MaskedScheduleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-msg-").FullName;
    private static readonly TransformerConfig Small = new() { VocabSize = 27, MaxLength = 10, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1, Classes = 3, Dropout = 0 };
    private static readonly TransformerConfig Deep = Small with { Layers = 2 };

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A model with seeded weights that do not depend on the global random source.</summary>
    private static GrowableTransformer Model(TransformerConfig config)
    {
        var model = new GrowableTransformer(config);
        using var noGrad = no_grad();
        var generator = new Generator(21);
        foreach (var (name, p) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            var kind = model.Layout.Resolve(name).Rule.Kind;
            if (kind is ParameterKind.Weight or ParameterKind.Embedding) p.copy_(randn(p.shape, generator: generator) * 0.02);
        }
        return model;
    }

    private static GrowthSchedule MsgSchedule() => 
        new(Small, [new GrowthStage(GrowthTrigger.AtStep(10), Deep,
            new MsgDepthGrowth(new MsgDepthOptions { Ramp = new MaskRamp { Steps = 5 } }))], seed: 3);

    private TrainingResult Fit(ITrainingAlgorithm[] algorithms, TransformerConfig start, int steps = 30, string? checkpoint = null,
        CancellationToken token = default)
    {
        var (train, dev) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice()[..40_000], windowLength: 10, devFraction: 0.1);
        using (train) using (dev)
        {
            var options = new TrainerOptions
            {
                BatchSize = 32, Budget = Budget.Steps(steps), Seed = 2, EvaluationsPerEpoch = 4,
                Checkpoint = checkpoint is null ? null : new() { Directory = Path.Combine(_dir, checkpoint), EverySteps = 4 },
            };
            return new Trainer(options, algorithms: algorithms).Fit(Model(start), train, dev, SequenceObjective.TokenClassification,
                cancellationToken: token);
        }
    }

    [Fact]
    public void MsgDepthGrowsInsideOneFitRampsTheMaskAndRemovesIt()
    {
        var schedule = MsgSchedule();
        var masks = new MaskRecorder();
        var result = Fit([schedule, masks], Small);

        result.Model.Config.Layers.Should().Be(2);
        result.Model.Mask.Should().BeNull("the ramp ended at step 15");
        schedule.MaskValue.Should().BeNull();
        result.History.Should().OnlyContain(h => double.IsFinite(h.DevLoss));
        result.History.Where(h => h.Step > 10).Should().Contain(h => double.IsFinite(h.TrainLoss));
        var before = result.Growths.Single().Before;
        var after = result.Growths.Single().After;
        after.DevLoss.Should().BeApproximately(before.DevLoss, 1e-6 * Math.Abs(before.DevLoss), "growth at m = 0 preserves the function");
        // the mask in force for steps 11..16: 0, 1/5, ..., 4/5, then none (m = 1 from step 16 on)
        masks.ByStep.Where(kv => kv.Key is > 10 and <= 17).Select(kv => kv.Value).Should().Equal(0.0, 0.2, 0.4, 0.6, 0.8, null, null);
        masks.ByStep.Where(kv => kv.Key <= 10).Should().OnlyContain(kv => kv.Value == null);
        result.Log.Should().Contain(l => l.Contains("[step 15] mask ramp of growth 1 complete", StringComparison.Ordinal));
        result.Model.Dispose();
    }

    [Fact]
    public void AResumeInTheMiddleOfTheRampGivesTheUninterruptedResult()
    {
        var full = Fit([MsgSchedule()], Small, checkpoint: "full");
        using var cts = new CancellationTokenSource();
        var cut = Fit([MsgSchedule(), new CancelAt(13, cts)], Small, checkpoint: "cut", token: cts.Token);
        cut.Reason.Should().Be(StopReason.Cancelled);
        cut.Model.Mask.Should().NotBeNull("step 13 is inside the ramp");
        cut.Model.Dispose();

        var schedule = MsgSchedule();
        var masks = new MaskRecorder();
        var resumed = Fit([schedule, masks], Small, checkpoint: "cut");
        resumed.Log.Should().Contain(l => l.Contains("resumed", StringComparison.Ordinal) && l.Contains("step 13",
            StringComparison.Ordinal));
        masks.ByStep[14].Should().BeApproximately(0.6, 1e-12, "the restored model gets its mask back at the saved value");
        resumed.Model.Config.Should().Be(full.Model.Config);
        foreach (var ((name, a), (_, b)) in full.Model.named_parameters().Zip(resumed.Model.named_parameters()))
            TinyModels.RelativeDifference(b, a).Should().BeLessThanOrEqualTo(1e-6, name);
        resumed.History.Select(h => h.DevLoss).Should().Equal(full.History.Select(h => h.DevLoss), (a,
            b) => Math.Abs(a - b) <= 1e-6 * Math.Abs(b));
        full.Model.Dispose(); resumed.Model.Dispose();
    }

    [Fact]
    public void MsgWidthGrowsInsideOneFitAndTheMaskIsRemovedAtTheEndOfTheRamp()
    {
        var wide = Small with { DModel = 16, Heads = 2, FeedForwardSize = 32 };
        var schedule = new GrowthSchedule(Small, [new GrowthStage(GrowthTrigger.AtStep(10), wide,
            new MsgWidthGrowth(new MaskRamp { Steps = 5 }))], seed: 3,
            policy: OptimizerStatePolicy.MapMoments);
        var masks = new MaskRecorder();
        var result = Fit([schedule, masks], Small, steps: 20);

        result.Model.Config.Should().Be(wide);
        result.Model.Mask.Should().BeNull();
        var growth = result.Growths.Single();
        growth.After.DevLoss.Should().BeApproximately(growth.Before.DevLoss, 1e-5 * Math.Abs(growth.Before.DevLoss));
        masks.ByStep.Where(kv => kv.Key is > 10 and <= 16).Select(kv => kv.Value).Should().Equal(0.0, 0.2, 0.4, 0.6, 0.8, null);
        result.History.Should().OnlyContain(h => double.IsFinite(h.DevLoss));
        result.Model.Dispose();
    }

    [Fact]
    public void AStageDuringARampFoldsTheMaskIntoTheWeights()
    {
        var schedule = new GrowthSchedule(Small, [
            new GrowthStage(GrowthTrigger.AtStep(10), Deep, new MsgDepthGrowth(new MsgDepthOptions { Ramp = new MaskRamp { Steps = 10 } })),
            new GrowthStage(GrowthTrigger.AtStep(13), Small with { Layers = 3 }, new MidasGrowth())], seed: 3);
        var result = Fit([schedule], Small, steps: 20);

        result.Model.Config.Layers.Should().Be(3);
        result.Model.Mask.Should().BeNull();
        var second = result.Growths[1];
        second.After.DevLoss.Should().NotBe(double.NaN);
        result.Log.Should().Contain(l => l.Contains("folded", StringComparison.Ordinal));
        result.Model.Dispose();
    }

    [Fact]
    public void MidasStagesGrowTwoToThreeToFourLayersInOneFit()
    {
        var small = TinyModels.Llama(8, 2, 1, 16, layers: 2, mode: ModelMode.Encoder) with { VocabSize = 27, MaxLength = 10, Dropout = 0 };
        var full = small with { Layers = 4 };
        var schedule = new GrowthSchedule(small, Midas.Stages(small, full, 0.25, 0.5), seed: 1, policy: OptimizerStatePolicy.MapMoments);
        var result = Fit([schedule], small, steps: 20);

        result.Growths.Select(g => (g.Step, g.From!.Layers, g.To!.Layers, g.Operator)).Should().Equal((5L, 2, 3, "midas"), (10L, 3, 4,
            "midas"));
        result.Model.Config.Should().Be(full);
        result.History.Should().OnlyContain(h => double.IsFinite(h.DevLoss));
        result.Model.Dispose();
    }

    /// <summary>The mask value each step runs with (null: no mask), read at step start.</summary>
    private sealed class MaskRecorder : TrainingCallback
    {
        public SortedDictionary<long, double?> ByStep { get; } = [];

        public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.StepStart) ByStep[state.Meter.Steps + 1] = state.Transformer.Mask?.Value;
        }
    }

    private sealed class CancelAt(long step, CancellationTokenSource cts) : TrainingCallback
    {
        public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.StepEnd && state.Meter.Steps == step) cts.Cancel();
        }
    }
}
