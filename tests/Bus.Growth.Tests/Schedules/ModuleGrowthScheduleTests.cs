using Bus.Core.Optimization;

namespace Bus.Growth.Tests.Schedules;

/// <summary>A module that is not a GrowableTransformer grows inside one Fit through its layout and a factory.</summary>
[Collection(Masked.TrainingCollection.Name)]
public class ModuleGrowthScheduleTests
{
    private const double PeakRate = 1e-3;
    private static readonly ModelShape Small = CharMlp.Shape(8, 16, 1, vocabulary: 27, outputs: 3);
    private static readonly ModelShape Big = CharMlp.Shape(16, 32, 1, vocabulary: 27, outputs: 3);

    private static (SequenceDataset Train, SequenceDataset Dev) Data() =>
        LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice()[..40_000], windowLength: 10, devFraction: 0.1);

    private static TrainingResult Fit(GrowthSchedule schedule, nn.Module<Tensor, Tensor> model, Probe? probe = null, int steps = 20)
    {
        var (train, dev) = Data();
        using (train) using (dev)
        {
            var options = new TrainerOptions
            {
                BatchSize = 32, Budget = Budget.Steps(steps), Seed = 2, LearningRate = PeakRate,
                Schedule = new LearningRateSchedule { WarmupFraction = 0, Decay = DecayShape.Linear },
            };
            ITrainingAlgorithm[] algorithms = probe is null ? [schedule] : [schedule, probe];
            return new Trainer(options, algorithms: algorithms).Fit(model, train, dev, SequenceObjective.TokenClassification);
        }
    }

    private static CharMlp Create(ModelShape shape, long seed)
    {
        random.manual_seed(seed);
        return new CharMlp(shape);
    }

    [Fact]
    public void ACustomModuleGrowsInOneFitWithItsFunctionLearningRateAndMomentsCarriedOver()
    {
        var schedule = new GrowthSchedule(CharMlp.Layout, Small,
            [new ModuleGrowthStage(GrowthTrigger.AtStep(10), Big, new HyperCloning())], shape => new CharMlp(shape), seed: 3,
            policy: OptimizerStatePolicy.MapMoments);
        var probe = new Probe(growAt: 10, "blocks.0.up.weight");
        var result = Fit(schedule, Create(Small, 1), probe);
        using var grownModule = result.Module;

        // One Fit: the module was replaced once, by the factory's module of the target shape, and training went on to the budget.
        result.Meter.Steps.Should().Be(20);
        result.Growths.Should().ContainSingle();
        result.Growths[0].FromShape.Should().Be(Small);
        result.Growths[0].ToShape.Should().Be(Big);
        result.Growths[0].From.Should().BeNull();
        grownModule.Should().BeOfType<CharMlp>();
        CharMlp.Layout.Validate(grownModule.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter), Big);

        // Function preserved (HyperCloning is exact): logits within 1e-5 of their own scale, and the dev loss around the growth.
        double scale = probe.SmallLogits!.abs().max().item<float>();
        ((double)(probe.GrownLogits! - probe.SmallLogits).abs().max().item<float>()).Should().BeLessThanOrEqualTo(1e-5 * scale);
        result.Growths[0].After.DevLoss.Should().BeApproximately(result.Growths[0].Before.DevLoss, 1e-5 * result.Growths[0].Before.DevLoss);

        // The LR schedule continues: linear decay from the peak without warm-up, lr(f) = peak (1 - f), f = steps done / 20.
        probe.RateAtGrowthStep.Should().BeApproximately(PeakRate * (1 - 9.0 / 20), 1e-12 * PeakRate);
        probe.RateAfterGrowth.Should().OnlyContain(r => Math.Abs(r - PeakRate * (1 - 10.0 / 20)) <= 1e-12 * PeakRate);

        // Moments mapped: up.weight [d_ff, d (read)], HyperCloning x2 clones unit i to i and i + n (round robin). Each copy of a
        // row receives half the small row's gradient (the down projection splits its columns by 2) and the inputs are copies,
        // so m'[j, k] = m[j mod 16, k mod 8] / 2 and v' = v / 4; Adam's step carries over.
        var expectedFirst = Tile(probe.SmallFirst!, 2, 2) / 2;
        var expectedSecond = Tile(probe.SmallSecond!, 2, 2) / 4;
        AllClose(probe.GrownFirst!, expectedFirst).Should().BeTrue();
        AllClose(probe.GrownSecond!, expectedSecond).Should().BeTrue();
        probe.GrownFirst!.abs().max().item<float>().Should().BeGreaterThan(0, "the small moments were not zero");
        probe.GrownStep.Should().Be(10);
    }

    [Fact]
    public void WithoutMomentMappingTheGrownOptimizerStartsFresh()
    {
        var schedule = new GrowthSchedule(CharMlp.Layout, Small,
            [new ModuleGrowthStage(GrowthTrigger.AtStep(10), Big, new HyperCloning())], shape => new CharMlp(shape));
        var probe = new Probe(growAt: 10, "blocks.0.up.weight");
        using var module = Fit(schedule, Create(Small, 1), probe).Module;
        probe.GrownFirst!.abs().max().item<float>().Should().Be(0);
        probe.GrownStep.Should().Be(0);
        probe.RateAfterGrowth.Should().OnlyContain(r => Math.Abs(r - PeakRate * (1 - 10.0 / 20)) <= 1e-12 * PeakRate);
    }

    [Fact]
    public void DepthGrowthOfACustomModuleKeepsItsFunction()
    {
        var deep = Small with { Layers = 2 };
        var schedule = new GrowthSchedule(CharMlp.Layout, Small,
            [new ModuleGrowthStage(GrowthTrigger.AtStep(5), deep, new FunctionPreservingDepth())], shape => new CharMlp(shape),
            policy: OptimizerStatePolicy.MapMoments);
        var probe = new Probe(growAt: 5, "blocks.0.up.weight");
        using var module = Fit(schedule, Create(Small, 4), probe, steps: 10).Module;
        double scale = probe.SmallLogits!.abs().max().item<float>();
        ((double)(probe.GrownLogits! - probe.SmallLogits).abs().max().item<float>()).Should().BeLessThanOrEqualTo(1e-6 * scale);
        AllClose(probe.GrownFirst!, probe.SmallFirst!).Should().BeTrue("block 0 keeps its moments under depth growth");
    }

    [Fact]
    public void InvalidModuleSchedulesAreRefusedBeforeTraining()
    {
        CharMlp Factory(ModelShape s) => new(s);
        var masked = () => new GrowthSchedule(CharMlp.Layout, Small, [new ModuleGrowthStage(GrowthTrigger.AtStep(1),
            Small with { Layers = 2 }, new MsgDepthGrowth())], Factory);
        masked.Should().Throw<ArgumentException>().WithMessage("*msg-depth*mask*GrowableTransformer*");
        var uneven = () => new GrowthSchedule(CharMlp.Layout, Small, [new ModuleGrowthStage(GrowthTrigger.AtStep(1),
            Big with { DModel = 12 }, new HyperCloning())], Factory);
        uneven.Should().Throw<ArgumentException>().Where(e => e.ParamName == "DModel").WithMessage("*source 8*target 12*");
        var noMoments = () => new GrowthSchedule(CharMlp.Layout, Small, [new ModuleGrowthStage(GrowthTrigger.AtStep(1), Big,
            new BusIdentityExpansion())],
            Factory, policy: OptimizerStatePolicy.MapMoments);
        noMoments.Should().Throw<ArgumentException>().WithMessage("*bus-identity cannot map optimizer moments*");
        var chained = () => new GrowthSchedule(CharMlp.Layout, Small, [
            new ModuleGrowthStage(GrowthTrigger.AtStep(1), Big, new HyperCloning()),
            new ModuleGrowthStage(GrowthTrigger.AtStep(2), Small, new HyperCloning())], Factory);
        chained.Should().Throw<ArgumentException>().WithMessage("*cannot shrink*");
    }

    [Fact]
    public void AFactoryThatBuildsTheWrongModuleOrAWrongStartingModuleIsNamed()
    {
        var wrongFactory = new GrowthSchedule(CharMlp.Layout, Small,
            [new ModuleGrowthStage(GrowthTrigger.AtStep(2), Big, new HyperCloning())], _ => new CharMlp(Small));
        var grow = () => Fit(wrongFactory, Create(Small, 1), steps: 4);
        grow.Should().Throw<InvalidOperationException>().WithMessage("*factory built a module that does not fit layout 'char-mlp'*");

        var schedule = new GrowthSchedule(CharMlp.Layout, Small,
            [new ModuleGrowthStage(GrowthTrigger.AtStep(2), Big, new HyperCloning())], shape => new CharMlp(shape));
        var start = () => Fit(schedule, Create(Big, 1), steps: 4);
        start.Should().Throw<ArgumentException>().WithMessage("*does not have the shape the growth schedule starts from*");
    }

    private static Tensor Tile(Tensor t, int rows, int cols) => t.repeat(rows, cols);

    private static bool AllClose(Tensor actual, Tensor expected) =>
        actual.allclose(expected, rtol: 1e-5, atol: 1e-7 * expected.abs().max().item<float>());

    /// <summary>Reads the module, logits, optimizer rates and the moments of one parameter just before and just after the growth.</summary>
    private sealed class Probe(long growAt, string parameter) : TrainingCallback
    {
        private readonly Tensor _inputs = randint(0, 27, [4, 10], dtype: int64, generator: new TorchSharp.torch.Generator(9));

        public Tensor? SmallLogits { get; private set; }
        public Tensor? GrownLogits { get; private set; }
        public Tensor? SmallFirst { get; private set; }
        public Tensor? SmallSecond { get; private set; }
        public Tensor? GrownFirst { get; private set; }
        public Tensor? GrownSecond { get; private set; }
        public long GrownStep { get; private set; } = -1;
        public double RateAtGrowthStep { get; private set; }
        public List<double> RateAfterGrowth { get; } = [];

        public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            // Registered after the schedule: StepEnd runs before the schedule's (reverse order), StepStart after it.
            if (trainingEvent == TrainingEvent.StepEnd && state.Meter.Steps == growAt && state.Growths.Count == 0)
            {
                RateAtGrowthStep = state.Optimizer.ParamGroups.First().LearningRate;
                SmallLogits = Logits(state.Module);
                (SmallFirst, SmallSecond, _) = Moments(state);
            }
            if (trainingEvent == TrainingEvent.StepStart && state.Growths.Count == 1 && GrownLogits is null)
            {
                GrownLogits = Logits(state.Module);
                (GrownFirst, GrownSecond, long step) = Moments(state);
                GrownStep = step;
            }
            if (trainingEvent == TrainingEvent.StepEnd && state.Meter.Steps == growAt + 1)
                RateAfterGrowth.AddRange(state.Optimizer.ParamGroups.Select(g => g.LearningRate));
        }

        private Tensor Logits(nn.Module<Tensor, Tensor> module)
        {
            using var noGrad = no_grad();
            return module.forward(_inputs).detach().clone().DetachFromDisposeScope(); // kept past the step's dispose scope
        }

        private static Tensor Keep(Tensor t) => t.detach().clone().DetachFromDisposeScope();

        private (Tensor First, Tensor Second, long Step) Moments(TrainingState state)
        {
            var s = MomentMapper.StatesByName(state.Optimizer, state.Module)[parameter];
            return (Keep(MomentMapper.StateTensor(s, "exp_avg")!), Keep(MomentMapper.StateTensor(s, "exp_avg_sq")!),
                MomentMapper.GetStep(s));
        }
    }
}
