namespace Bus.Growth.Tests.Schedules;

public class GrowthScheduleTests
{
    private static readonly TransformerConfig Small = new() { VocabSize = 27, MaxLength = 10, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1, Classes = 3 };

    private static readonly TransformerConfig Mid = Small with { DModel = 16, FeedForwardSize = 32 };
    private static readonly TransformerConfig Big = Small with { DModel = 32, FeedForwardSize = 64 };

    /// <summary>Small -> Mid at step 10 -> Big at step 20, by bus-identity.</summary>
    private static GrowthSchedule TwoStages() => new(Small, [
        new GrowthStage(GrowthTrigger.AtStep(10), Mid, new BusIdentityExpansion()),
        new GrowthStage(GrowthTrigger.AtStep(20), Big, new BusIdentityExpansion())]);

    private static (SequenceDataset Train, SequenceDataset Dev) Data()
    {
        var text = BuiltInCorpus.BrownSlice()[..40_000];
        return LetterCountingTaskData.Build(text, windowLength: 10, devFraction: 0.1);
    }

    private static TrainingResult Fit(GrowthSchedule schedule, Budget budget, int evaluationsPerEpoch = 4)
    {
        var (train, dev) = Data();
        using (train) using (dev)
        {
            var options = new TrainerOptions { BatchSize = 32, Budget = budget, Seed = 2, EvaluationsPerEpoch = evaluationsPerEpoch };
            return new Trainer(options, algorithms: [schedule]).Fit(GrowableTransformer.Create(Small, 2), train, dev, SequenceObjective.TokenClassification);
        }
    }

    [Fact]
    public void MultiStageGrowthRecordsBeforeAndAfterEachStage()
    {
        var schedule = TwoStages();
        var result = Fit(schedule, Budget.Steps(30));

        schedule.Applied.Should().Be(2);
        result.Model.Config.DModel.Should().Be(32);
        var notes = result.History.Where(h => h.Note is not null).Select(h => (h.Step, h.Note, h.DModel)).ToList();
        notes.Should().Equal((10L, "growth 1: before", 8), (10L, "growth 1: after", 16), (20L, "growth 2: before", 16), (20L, "growth 2: after", 32));
        result.Log.Count(l => l.Contains("dev loss")).Should().Be(2);
        result.Model.Dispose();
    }

    [Fact]
    public void FunctionPreservingGrowthKeepsTheDevLossAcrossTheEvent()
    {
        var big = Small with { DModel = 16, FeedForwardSize = 32, Heads = 1 };
        var schedule = new GrowthSchedule(Small, [new GrowthStage(GrowthTrigger.AtStep(15), big, new FunctionPreservingWidth(new() { Mapping = UnitMapping.RoundRobin }))]);
        var result = Fit(schedule, Budget.Steps(20));
        var before = result.History.Single(h => h.Note == "growth 1: before");
        var after = result.History.Single(h => h.Note == "growth 1: after");
        after.DevLoss.Should().BeApproximately(before.DevLoss, 1e-4);
        result.Model.Dispose();
    }

    [Fact]
    public void PlateauTriggerFiresWhenDevLossStopsImproving()
    {
        // Improvement threshold 100%: any evaluation after the first `patience` counts as a plateau.
        var schedule = new GrowthSchedule(Small, [new GrowthStage(GrowthTrigger.OnPlateau(patience: 2, minImprovement: 1.0), Small with { DModel = 16 }, new BusIdentityExpansion())]);
        var result = Fit(schedule, Budget.Epochs(1), evaluationsPerEpoch: 8);
        schedule.Applied.Should().Be(1);
        var scheduled = result.History.TakeWhile(h => h.Note is null).Count();
        scheduled.Should().Be(3, "the trigger needs patience + 1 scheduled evaluations");
        result.Model.Dispose();
    }

    [Fact]
    public void EachGrowthIsATypedEventOnTheResult()
    {
        var schedule = TwoStages();
        var result = Fit(schedule, Budget.Steps(30));

        result.Growths.Select(g => (g.Stage, g.Step, g.Operator, g.From, g.To)).Should().Equal(
            (1, 10L, "bus-identity", Small, Mid), (2, 20L, "bus-identity", Mid, Big));
        result.Growths.SelectMany(g => new[] { g.Before, g.After }).Should().Equal(result.History.Where(h => h.Note is not null));
        result.Log.Should().Contain($"[step 10] {result.Growths[0].Describe("accuracy")}");
        result.Model.Dispose();
    }

    [Fact]
    public void GrowthEventsSurviveAResumeFromACheckpoint()
    {
        string dir = Path.Combine(Path.GetTempPath(), "bus-growth-events-" + Guid.NewGuid().ToString("N"));
        var (train, dev) = Data();
        try
        {
            using (train) using (dev)
            {
                var options = new TrainerOptions
                {
                    BatchSize = 32, Budget = Budget.Steps(30), Seed = 2, EvaluationsPerEpoch = 4,
                    Checkpoint = new() { Directory = dir, EverySteps = 5 },
                };
                using var cts = new CancellationTokenSource();
                var progress = new InlineProgress<TrainingProgress>(p => { if (p.Step == 15) cts.Cancel(); });
                var first = new Trainer(options, algorithms: [TwoStages()]).Fit(GrowableTransformer.Create(Small, 2), train, dev, SequenceObjective.TokenClassification, progress, cts.Token);
                first.Reason.Should().Be(StopReason.Cancelled);
                first.Growths.Should().ContainSingle();
                first.Module.Dispose();

                var resumed = new Trainer(options, algorithms: [TwoStages()]).Fit(GrowableTransformer.Create(Small, 2), train, dev, SequenceObjective.TokenClassification);
                resumed.Growths.Select(g => (g.Stage, g.Step, g.To)).Should().Equal((1, 10L, Mid), (2, 20L, Big));
                resumed.Growths[0].Should().Be(first.Growths[0]);
                resumed.Model.Dispose();
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AModelThatDiffersFromTheScheduleStartIsRefusedAtFitStart()
    {
        var schedule = new GrowthSchedule(Small, [new GrowthStage(GrowthTrigger.AtStep(10), Small with { DModel = 16, FeedForwardSize = 32 }, new BusIdentityExpansion())]);
        var (train, dev) = Data();
        using (train) using (dev)
        {
            var options = new TrainerOptions { BatchSize = 32, Budget = Budget.Steps(20), Seed = 2 };
            using var wrong = GrowableTransformer.Create(Small with { Layers = 2 }, 2);
            var act = () => new Trainer(options, algorithms: [schedule]).Fit(wrong, train, dev, SequenceObjective.TokenClassification);
            act.Should().Throw<ArgumentException>().WithMessage("*layers=2*layers=1*").Which.ParamName.Should().Be("model");
            schedule.Applied.Should().Be(0);
        }
    }

    [Fact]
    public void InvalidStagesAreRejectedBeforeTraining()
    {
        var shrink = () => new GrowthSchedule(Small with { DModel = 16 }, [new GrowthStage(GrowthTrigger.AtStep(5), Small, new BusIdentityExpansion())]);
        shrink.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("DModel");
        var empty = () => new GrowthSchedule(Small, []);
        empty.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("stages");
        var badStep = () => GrowthTrigger.AtStep(0);
        badStep.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("step");
        var badFraction = () => GrowthTrigger.AtBudgetFraction(1.5);
        badFraction.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1.5*");
    }

    [Fact]
    public void OperatorsAreFoundByNameAndUnknownNamesListTheKnownOnes()
    {
        foreach (var name in GrowthOperators.Names) GrowthOperators.Create(name).Name.Should().Be(name);
        var act = () => GrowthOperators.Create("nope");
        act.Should().Throw<ArgumentException>().WithMessage("*nope*bus-identity*");
    }
}
