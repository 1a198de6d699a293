namespace Bus.Core.Tests.Training.LayerDropping;

public class ProgressiveLayerDroppingTests
{
    [Theory]
    [InlineData(0, 1.0, new[] { 1.0, 1.0, 1.0, 1.0 })]
    [InlineData(1000, 0.683940, new[] { 0.920985, 0.841970, 0.762955, 0.683940 })]
    [InlineData(5000, 0.503369, new[] { 0.875842, 0.751684, 0.627527, 0.503369 })]
    public void ThetaAndKeepProbabilitiesMatchTheResearchTable(double t, double theta, double[] keep)
    {
        double actual = ProgressiveLayerDropping.Theta(t, 0.5, 0.001);
        actual.Should().BeApproximately(theta, 5e-7);
        for (int l = 1; l <= 4; l++)
            ProgressiveLayerDropping.KeepProbability(l, 4, actual).Should().BeApproximately(keep[l - 1], 5e-7);
    }

    [Fact]
    public void ThetaIsMonotoneBoundedAndTheLastBlockKeepsWithTheta()
    {
        double previous = 1;
        for (int t = 0; t <= 20000; t += 50)
        {
            double theta = ProgressiveLayerDropping.Theta(t, 0.5, 0.001);
            theta.Should().BeLessThanOrEqualTo(previous).And.BeGreaterThanOrEqualTo(0.5);
            ProgressiveLayerDropping.KeepProbability(6, 6, theta).Should().BeApproximately(theta, 1e-15);
            for (int l = 2; l <= 6; l++)
                ProgressiveLayerDropping.KeepProbability(l, 6, theta).Should().BeLessThanOrEqualTo(ProgressiveLayerDropping.KeepProbability(l - 1, 6, theta));
            previous = theta;
        }
        // NTNG's time-keyed schedule: gamma = 100/T, so theta(T/100) = theta(1000 steps at gamma 0.001).
        var ntng = new ProgressiveLayerDropping(ProgressiveLayerDroppingOptions.BudgetKeyed());
        ntng.ThetaAt(0.01).Should().BeApproximately(0.683940, 5e-7);
        var bad = () => new ProgressiveLayerDroppingOptions { ThetaBar = 0 };
        bad.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("ThetaBar");
        var badLayer = () => ProgressiveLayerDropping.KeepProbability(0, 4, 0.7);
        badLayer.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("layer");
    }

    [Fact]
    public void ScaledResidualIsUnbiasedAndKeepFrequencyIsP()
    {
        var pld = new ProgressiveLayerDropping();
        var random = new Random(1);
        const int draws = 40000;
        double theta = pld.ThetaAt(5000);
        var scaleSum = new double[4];
        var kept = new int[4];
        for (int i = 0; i < draws; i++)
        {
            pld.Sample(4, theta, random);
            for (int l = 0; l < 4; l++)
            {
                double s = pld.ResidualScale(l, 4);
                scaleSum[l] += s;
                if (s > 0) { kept[l]++; s.Should().BeApproximately(1 / ProgressiveLayerDropping.KeepProbability(l + 1, 4, theta), 1e-12); }
            }
        }
        for (int l = 0; l < 4; l++)
        {
            // E[keep * branch / p] = branch: the mean scale of a fixed residual branch is 1.
            (scaleSum[l] / draws).Should().BeApproximately(1, 0.03);
            ((double)kept[l] / draws).Should().BeApproximately(ProgressiveLayerDropping.KeepProbability(l + 1, 4, theta), 0.01);
        }
    }

    [Fact]
    public void AllGatesOnEqualsPlainPreLnAndEvalIsDeterministicAndUnscaled()
    {
        using var model = GrowableTransformer.Create(TestData.Tiny with { Layers = 4 }, 3);
        using var x = randint(6, [5, 12], dtype: int64, generator: new TorchSharp.torch.Generator(1));
        model.train();
        using var plain = model.forward(x);
        var pld = new ProgressiveLayerDropping();
        pld.Sample(4, 1.0, new Random(1)); // theta = 1: p = 1 for every block
        model.LayerGate = pld;
        using var gatedAllOn = model.forward(x);
        gatedAllOn.allclose(plain, 0, 0).Should().BeTrue();
        model.LastActiveLayers.Should().Be(4);

        pld.Sample(4, 0.05, new Random(2)); // heavy dropping
        using var dropped = model.forward(x);
        model.LastActiveLayers.Should().BeLessThan(4);
        dropped.allclose(plain, 1e-4, 1e-4).Should().BeFalse();

        model.eval();
        using var e1 = model.forward(x);
        pld.Sample(4, 0.05, new Random(3));
        using var e2 = model.forward(x);
        model.LayerGate = null;
        using var e3 = model.forward(x);
        e1.allclose(e2, 0, 0).Should().BeTrue();
        e1.allclose(e3, 0, 0).Should().BeTrue();
        e1.allclose(plain, 1e-6, 1e-6).Should().BeTrue(); // dropout 0: eval equals the plain pre-LN network
    }

    [Fact]
    public void TrainerRunDropsLayersAndChargesTheActiveLayers()
    {
        using var train = TestData.LetterCounting(128, 12, seed: 1);
        using var dev = TestData.LetterCounting(32, 12, seed: 2);
        var costs = new RecordingCostModel();
        var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(30), LearningRate = 3e-3, Seed = 2, CostModel = costs };
        var pld = new ProgressiveLayerDropping(new ProgressiveLayerDroppingOptions { Gamma = 0.2, ThetaBar = 0.3 });
        var observed = new ActiveLayerObserver(pld);
        var model = GrowableTransformer.Create(TestData.Tiny with { Layers = 4 }, 1);
        var result = new Trainer(options, algorithms: [pld, observed]).Fit(model, train, dev, SequenceObjective.TokenClassification);
        using (result.Model)
        {
            result.Model.LayerGate.Should().BeNull();
            var charged = costs.Charged.Where(c => !c.ForwardOnly).Select(c => c.ActiveLayers).ToList();
            charged.Should().Equal(observed.Active);
            charged[0].Should().Be(4); // theta(0) = 1
            charged.Should().Contain(a => a < 4);
            double expected = charged.Sum(a => 3 * FlopCounter.ForwardPerToken(result.Model.Config, 12, a) * 16 * 12);
            result.Meter.Flops.Should().BeApproximately(expected, expected * 1e-12);
            result.Meter.Flops.Should().BeLessThan(30 * 3 * FlopCounter.ForwardPerToken(result.Model.Config, 12, 4) * 16 * 12);
        }
        var again = new Trainer(options with { CostModel = new RecordingCostModel() }, algorithms: [new ProgressiveLayerDropping(pld.Options)])
            .Fit(GrowableTransformer.Create(TestData.Tiny with { Layers = 4 }, 1), train, dev, SequenceObjective.TokenClassification);
        using (again.Model) again.Final.DevLoss.Should().Be(result.Final.DevLoss);
    }

    private sealed class RecordingCostModel : IStepCostModel
    {
        public List<StepCost> Charged { get; } = [];
        public double ReferenceSeconds(StepCost cost) { Charged.Add(cost); return 1; }
    }

    /// <summary>Counts the kept blocks of each step from the gate itself.</summary>
    private sealed class ActiveLayerObserver(ProgressiveLayerDropping pld) : TrainingCallback
    {
        public List<int> Active { get; } = [];
        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e == TrainingEvent.StepEnd) Active.Add(pld.CurrentScales.Count(s => s > 0));
        }
    }
}
