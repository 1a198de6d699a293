using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.MLNet.Tests;

/// <summary>
/// One owner of the learning rate (issue 21, item 1): the optimizer factory sets each param group's peak once (Lion:
/// the trainer's rate / 3), and every step's actual rate is that peak x the schedule, through the Trainer, both ML.NET
/// estimators and DI. The rates are read from the optimizer's param groups at each step of a real run.
/// </summary>
public sealed class LearningRateOwnerTests
{
    private const double Rate = 3e-3;
    private static readonly TransformerConfig Config = new() { VocabSize = 8, Classes = 3, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1, MaxLength = 6 };
    private static readonly LearningRateSchedule Schedule = new() { WarmupFraction = 0.2 };

    [Theory]
    [InlineData("lion", Rate / 3)]
    [InlineData("adamw", Rate)]
    [InlineData("lion-own-rate", 5e-4)]
    public void TheTrainersStepRateIsTheFactorysPeakTimesTheScheduleAlsoAfterTheModelIsReplaced(string optimizer, double peak)
    {
        IOptimizerFactory factory = optimizer switch
        {
            "lion" => new LionFactory(),
            "adamw" => new AdamWFactory(),
            _ => new LionFactory(LearningRate: 5e-4),
        };
        using var train = Data(64, seed: 1);
        using var dev = Data(16, seed: 2);
        var recorder = new StepRates(replaceAtStep: 6);
        var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(12), Seed = 1, LearningRate = Rate, Schedule = Schedule };
        using var model = GrowableTransformer.Create(Config, 1);
        new Trainer(options, factory, algorithms: [recorder]).Fit(model, train, dev, SequenceObjective.TokenClassification);

        recorder.Rates.Should().HaveCount(12);
        for (int k = 0; k < 12; k++)
            recorder.Rates[k].Should().BeApproximately(peak * Schedule.Multiplier(recorder.Fractions[k]), 1e-15, $"step {k + 1}");
        recorder.Peaks.Should().OnlyContain(p => Math.Abs(p - peak) < 1e-18, "TrainingState.LearningRate is the factory's peak, also after ReplaceModel rebuilt the optimizer");
        recorder.Replaced.Should().BeTrue();
    }

    [Fact]
    public void ThePerCharacterEstimatorTrainsLionAtTheOptionsRateOverThreeTimesTheScheduleAlsoAfterGrowth()
    {
        var probe = new RateProbe(new LionFactory());
        var ml = new MLContext(1);
        var options = new BusTrainerOptions
        {
            Model = BusTrainerOptions.DefaultModel with { MaxLength = 10, DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1 },
            StartDModel = 8, GrowthEpoch = 1, Epochs = 2, BatchSize = 8,
            LearningRate = Rate, WarmupFraction = 0.2, Seed = 1, Optimizer = "lion-probe",
        };
        ml.Transforms.BusPerCharacter(options: options, components: BusComponents.Default.With("lion-probe", probe)).Fit(ml.Data.LoadFromEnumerable(Windows(40)));

        probe.Created.Should().Be(2, "the optimizer is created at the start and again after growth");
        probe.ShouldFollow(Rate / 3, options.WarmupFraction);
    }

    [Theory]
    [InlineData(SequencePooling.Mean)]
    [InlineData(SequencePooling.PerToken)]
    public void TheSequenceClassificationEstimatorTrainsLionAtTheOptionsRateOverThree(SequencePooling pooling)
    {
        var probe = new RateProbe(new LionFactory());
        var ml = new MLContext(1);
        var options = new BusTrainerOptions
        {
            Model = BusTrainerOptions.DefaultModel with { MaxLength = 6, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1 },
            Epochs = 2, BatchSize = 8, LearningRate = Rate,
            WarmupFraction = 0.2, Seed = 1, Optimizer = "lion-probe", Pooling = pooling,
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(PooledClassificationTests.Row.Label))
            .Append(ml.MulticlassClassification.Trainers.BusTransformer("LabelKey", nameof(PooledClassificationTests.Row.Text), options,
                BusComponents.Default.With("lion-probe", probe)));
        pipeline.Fit(ml.Data.LoadFromEnumerable(PooledClassificationTests.DoubledLetterRows(60, 3)));

        probe.Created.Should().Be(1);
        probe.ShouldFollow(Rate / 3, options.WarmupFraction);
    }

    [Fact]
    public void DependencyInjectionTrainsTheRegisteredLionAtTheOptionsRateOverThree()
    {
        RateProbe? probe = null;
        var services = new ServiceCollection();
        services.AddBus(o => o.Trainer = new BusTrainerOptions
        {
            Model = BusTrainerOptions.DefaultModel with { MaxLength = 10, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1 },
            Epochs = 2, BatchSize = 8, LearningRate = Rate, WarmupFraction = 0.2, Seed = 1, Optimizer = "lion-probe",
        }).AddOptimizer("lion-probe", sp => probe = new RateProbe(sp.GetRequiredKeyedService<IOptimizerFactory>("lion")));
        using var provider = services.BuildServiceProvider();
        var trainers = provider.GetRequiredService<BusTrainers>();
        var ml = new MLContext(1);
        trainers.PerCharacter().Fit(ml.Data.LoadFromEnumerable(Windows(40)));

        probe.Should().NotBeNull();
        probe!.Inner.Should().BeOfType<LionFactory>("the probe wraps the Lion that AddBus registers");
        probe.ShouldFollow(Rate / 3, 0.2);
    }

    private static SequenceDataset Data(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = Enumerable.Range(0, rows * Config.MaxLength).Select(_ => (long)rng.Next(Config.VocabSize)).ToArray();
        var y = x.Select(v => v % Config.Classes).ToArray();
        return new SequenceDataset(tensor(x, [rows, Config.MaxLength], ScalarType.Int64), tensor(y, [rows, Config.MaxLength], ScalarType.Int64));
    }

    private static List<PerCharacterPipelineTests.Window> Windows(int count)
    {
        string text = BuiltInCorpus.BrownSlice();
        return Enumerable.Range(0, count).Select(w =>
        {
            string window = text.Substring(w * 10, 10);
            return new PerCharacterPipelineTests.Window { Text = window, Labels = LetterCounting.Labels(window).Select(l => (float)l).ToArray() };
        }).ToList();
    }

    /// <summary>At StepStart the budget fraction the schedule reads; at StepEnd the rate each group trained at; at one step a replaced model.</summary>
    private sealed class StepRates(int replaceAtStep) : ITrainingAlgorithm
    {
        public List<double> Fractions { get; } = [];
        public List<double> Rates { get; } = [];
        public List<double> Peaks { get; } = [];
        public bool Replaced { get; private set; }
        public string Name => "step-rates";
        public AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;

        public void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.StepStart) Fractions.Add(state.Meter.Fraction);
            if (trainingEvent != TrainingEvent.StepEnd) return;
            var rates = state.Optimizer.ParamGroups.Select(g => g.LearningRate).Distinct().ToList();
            rates.Should().ContainSingle("every group trains at the same rate here");
            Rates.Add(rates[0]);
            Peaks.Add(state.LearningRate);
            Peaks.AddRange(state.PeakLearningRates);
            if (state.Meter.Steps == replaceAtStep)
            {
                state.ReplaceModel(GrowableTransformer.Create(Config, 2), "test: a new model and a new optimizer from the factory");
                Replaced = true;
            }
        }
    }

    /// <summary>
    /// Wraps a factory: the optimizers it creates are the inner factory's, and each step records the rate of the first
    /// param group just before the update (as the training loop set it). <see cref="IOptimizerFactory"/> has only a name
    /// and its <c>Create</c> methods, so the probe changes nothing a training loop could see. (Before the
    /// fix, with the interface's PeakLearningRate forwarded, these tests measured lr/9 in the per-character, per-token
    /// and DI paths and lr/3 in the pooled loop.)
    /// </summary>
    private sealed class RateProbe(IOptimizerFactory inner) : IOptimizerFactory
    {
        public IOptimizerFactory Inner => inner;
        public List<(int Optimizer, double Rate)> Steps { get; } = [];
        public int Created { get; private set; }
        public string Name => inner.Name;

        public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
        {
            int index = Created++;
            return new ProbedOptimizer(inner.Create(parameters, learningRate, weightDecay), rate => Steps.Add((index, rate)));
        }

        /// <summary>Step k of n (over all optimizers) trained at <paramref name="peak"/> x the linear schedule at k / n.</summary>
        public void ShouldFollow(double peak, double warmup)
        {
            var schedule = new LearningRateSchedule { WarmupFraction = warmup };
            Steps.Should().HaveCountGreaterThan(4);
            for (int k = 0; k < Steps.Count; k++)
                Steps[k].Rate.Should().BeApproximately(peak * schedule.Multiplier((double)k / Steps.Count), 1e-12, $"step {k + 1} of {Steps.Count}");
            Steps.Max(s => s.Rate).Should().BeApproximately(peak, peak * 0.25, "the peak is reached at the end of the warm-up");
        }
    }

    private sealed class ProbedOptimizer(optim.Optimizer inner, Action<double> onStep) : optim.Optimizer(IntPtr.Zero)
    {
        public override IEnumerable<optim.ILearningRateController> ParamGroups => inner.ParamGroups;

        public override Tensor step(Func<Tensor>? closure = null)
        {
            onStep(inner.ParamGroups.First().LearningRate);
            return inner.step(closure);
        }

        public override void zero_grad() => inner.zero_grad();

        public override IEnumerable<Parameter> parameters() => inner.parameters();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
