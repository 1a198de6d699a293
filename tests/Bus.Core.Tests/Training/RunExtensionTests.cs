namespace Bus.Core.Tests.Training;

/// <summary>
/// Extending a run (<see cref="CheckpointOptions.Extend"/>): a WSD run stopped in its stable phase and extended to a larger
/// budget ends with the weights of a run planned that long (same warm-up length), bit for bit; the step count and the
/// learning-rate curve continue; extensions after the decay began, without a checkpoint or with other changes are refused
/// and write nothing.
/// </summary>
[Collection(DeterminismCollection.Name)]
public sealed class RunExtensionTests : IDisposable
{
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 2,
        MaxLength = 12, Dropout = 0.1 };
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-extend-").FullName;

    /// <summary>WSD with a decay over the last 20%; warm-up 0.5 of 40 steps = 0.25 of 80 steps = 20 steps (exact in binary).</summary>
    private static LearningRateSchedule Wsd(double warmup) => new() { Decay = DecayShape.WarmupStableDecay, WarmupFraction = warmup,
        DecayFraction = 0.2 };

    private TrainingResult Run(string name, long steps, LearningRateSchedule schedule, bool extend = false, double lr = 1e-3,
        params ITrainingAlgorithm[] algorithms)
    {
        using var train = TestData.LetterCounting(200, 12, seed: 1);
        using var dev = TestData.LetterCounting(40, 12, seed: 2);
        var options = new TrainerOptions
        {
            BatchSize = 16, Budget = Budget.Steps(steps), Seed = 4, Schedule = schedule, LearningRate = lr, MaxEvalExamples = 8,
            Checkpoint = new CheckpointOptions { Directory = Path.Combine(_dir, name), EverySteps = 7, Extend = extend },
        };
        return new Trainer(options, algorithms: algorithms).Fit(GrowableTransformer.Create(Config, 4), train, dev,
            SequenceObjective.TokenClassification);
    }

    [Fact]
    public void ExtendingAWsdRunInItsStablePhaseEqualsTheRunPlannedThatLong()
    {
        var rates = new List<double>();
        var planned = Run("planned", 80, Wsd(0.25), algorithms: new RecordRates(rates));

        var cut = Run("extended", 40, Wsd(0.5), algorithms: new StopAt(21)); // stable phase: steps 20..32 of 40; a checkpoint every 7 steps
        cut.Reason.Should().Be(StopReason.Requested);
        cut.Model.Dispose();
        var extendedRates = new List<double>();
        var extended = Run("extended", 80, Wsd(0.5), extend: true, algorithms: new RecordRates(extendedRates));

        extended.Meter.Steps.Should().Be(80);
        extended.Log.Should().Contain(l => l.Contains("extended from 40 to 80 Steps: wsd schedule, warm-up 0.25 of the new budget"));
        extended.Log.Should().Contain(l => l.Contains("resumed") && l.Contains("step 21"));
        extendedRates.Should().Equal(rates.Skip(21), "the extension continues the planned run's learning-rate curve");
        rates[19].Should().Be(1e-3 * 19 / 20.0, "warm-up over 20 steps");
        rates[63].Should().Be(1e-3, "stable until 0.8 x 80 = 64 steps");
        rates[72].Should().BeApproximately(1e-3 * (1 - 72 / 80.0) / 0.2, 1e-15);
        CheckpointResumeTests.AssertSameWeights(planned.Model, extended.Model);

        // The folder is now an 80-step run: running the extension again resumes it (nothing left to do).
        var again = Run("extended", 80, Wsd(0.5), extend: true);
        again.Meter.Steps.Should().Be(80);
        planned.Model.Dispose(); extended.Model.Dispose(); again.Model.Dispose();
    }

    [Theory]
    [InlineData("linear-finished")]
    [InlineData("wsd-decaying")]
    [InlineData("smaller")]
    [InlineData("other-lr")]
    public void RefusedExtensionsWriteNothing(string name)
    {
        var schedule = name == "linear-finished" ? new LearningRateSchedule() : Wsd(0.1);
        var first = Run(name, 40, schedule, algorithms: new StopAt(name == "wsd-decaying" ? 35 : 40));
        first.Model.Dispose();
        string last = Path.Combine(_dir, name, "last.safetensors");
        var before = File.ReadAllBytes(last);
        var files = Directory.GetFiles(Path.Combine(_dir, name)).Order().ToList();

        var act = () => Run(name, name == "smaller" ? 30 : 80, schedule, extend: true, lr: name == "other-lr" ? 2e-3 : 1e-3);
        switch (name)
        {
            case "linear-finished":
                act.Should().Throw<ScheduleExtensionException>()
                    .WithMessage("*linear schedule began its decay at 5.0 %*decay is complete*");
                break;
            case "wsd-decaying":
                act.Should().Throw<ScheduleExtensionException>()
                    .WithMessage("*cannot extend the run from 40 Steps to 80 Steps*spent 87.5 %*");
                break;
            case "smaller":
                act.Should().Throw<ScheduleExtensionException>().WithMessage("*budget larger than the planned 40; got 30*");
                break;
            default:
                act.Should().Throw<ResumeMismatchException>().WithMessage("*learningRate*");
                break;
        }
        File.ReadAllBytes(last).Should().Equal(before);
        Directory.GetFiles(Path.Combine(_dir, name)).Order().Should().Equal(files);
    }

    [Fact]
    public void ExtendingWithoutACheckpointIsRefused()
    {
        var act = () => Run("empty", 40, Wsd(0.1), extend: true);
        act.Should().Throw<ScheduleExtensionException>().WithMessage("*has no checkpoint*to extend*");
        File.Exists(Path.Combine(_dir, "empty", "last.safetensors")).Should().BeFalse();
    }

    [Fact]
    public void ABudgetChangeWithoutExtendIsStillADifferentRun()
    {
        Run("plain", 20, Wsd(0.1), algorithms: new StopAt(10)).Model.Dispose();
        var act = () => Run("plain", 40, Wsd(0.1));
        act.Should().Throw<ResumeMismatchException>().WithMessage("*budget: checkpoint 20 Steps, this run 40 Steps*");
    }

    private sealed class StopAt(long step) : TrainingCallback
    {
        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e == TrainingEvent.StepEnd && state.Meter.Steps == step) state.StopRequested = true;
        }
    }

    private sealed class RecordRates(List<double> rates) : TrainingCallback
    {
        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e == TrainingEvent.StepEnd) rates.Add(state.Optimizer.ParamGroups.First().LearningRate);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
