namespace Bus.Growth.Tests.Learned;

public class MangoOperatorTests
{
    [Fact]
    public void TensorRingContractionMatchesTheFullOperatorComputedEntryByEntry()
    {
        const int r = 2;
        var shapes = new (int Small, int Big)[] { (2, 3), (2, 2), (1, 2), (2, 3) };   // B, O, I, L
        random.manual_seed(11);
        var cores = shapes.Select(s => randn(r, s.Small, s.Big, r)).ToArray();
        using var m1 = randn(shapes[0].Small, shapes[1].Small, shapes[2].Small, shapes[3].Small);
        using var m2 = TensorRingMpo.Apply(m1, cores[0], cores[1], cores[2], cores[3]);
        m2.shape.Should().Equal(3, 2, 2, 3);
        var c = cores.Select(t => t.data<float>().ToArray()).ToArray();
        float scale = m2.abs().max().item<float>();
        var m = m1.data<float>().ToArray();
        double Core(int k, int p, int a, int b, int q) => c[k][((p * shapes[k].Small + a) * shapes[k].Big + b) * r + q];
        for (int b2 = 0; b2 < 3; b2++) for (int o2 = 0; o2 < 2; o2++) for (int i2 = 0; i2 < 2; i2++) for (int l2 = 0; l2 < 3; l2++)
        {
            double sum = 0;
            for (int b1 = 0; b1 < 2; b1++) for (int o1 = 0; o1 < 2; o1++) for (int i1 = 0; i1 < 1; i1++) for (int l1 = 0; l1 < 2; l1++)
            {
                // Φ = Tr(S_B S_O S_I S_L) over the bond indices.
                double phi = 0;
                for (int p = 0; p < r; p++) for (int q = 0; q < r; q++) for (int s = 0; s < r; s++) for (int t = 0; t < r; t++)
                    phi += Core(0, p, b1, b2, q) * Core(1, q, o1, o2, s) * Core(2, s, i1, i2, t) * Core(3, t, l1, l2, p);
                sum += phi * m[((b1 * 2 + o1) * 1 + i1) * 2 + l1];
            }
            m2[b2, o2, i2, l2].item<float>().Should().BeApproximately((float)sum, 1e-6f * scale, "relative to the largest entry");
        }
        foreach (var t in cores) t.Dispose();
    }

    [Fact]
    public void RankOneWithIdentityTypeCoreIsLigoWithSharedFactors()
    {
        random.manual_seed(12);
        using var layers = randn(2, 3, 4);                  // one weight type: L=2 layers of [3, 4]
        using var a = randn(5, 3);
        using var b = randn(6, 4);
        using var depth = randn(3, 2);                      // w [L_big, L_small]
        using var ligo = LigoOperator.Expand(layers, depth, a, b);
        using var m1 = layers.permute(1, 2, 0).unsqueeze(0);    // [1, O, I, L]
        using var mango = TensorRingMpo.Apply(m1, ones(1, 1, 1, 1), a.t().reshape(1, 3, 5, 1), b.t().reshape(1, 4, 6, 1),
            depth.t().reshape(1, 2, 3, 1));
        using var asLigo = mango.squeeze(0).permute(2, 0, 1);
        using var diff = (asLigo - ligo).abs().max();
        diff.item<float>().Should().BeLessThanOrEqualTo(1e-6f * ligo.abs().max().item<float>(), "relative to the magnitude of the result");
    }

    [Theory]
    [InlineData(1, 1e-6)]
    [InlineData(3, 5e-3)]
    public void StepZeroGrowthEqualsTheNet2NetExpansion(int rank, double tolerance)
    {
        using var data = LearnedGrowthFixtures.LetterCounting(16, 12, seed: 1);
        using var small = LearnedGrowthFixtures.TrainedSmall(data, steps: 5);
        using var grown = new MangoOperator(new MangoOptions { Steps = 0, Rank = rank }).Grow(small, LearnedGrowthFixtures.Big,
            new GrowthContext(Seed: 7));
        var expected = LearnedGrowthFixtures.ExpansionReference(small, LearnedGrowthFixtures.Big, seed: 7);
        foreach (var (name, p) in grown.named_parameters())
        {
            var actual = p.data<float>().ToArray();
            actual.Zip(expected[name], (x, y) => (double)Math.Abs(x - y)).Max().Should().BeLessThan(tolerance, name);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingTheOperatorAtItsDefaultLearningRateLowersTheTaskLossForEverySeed(int rank)
    {
        // As for LiGO: three seeds at the default learning rate (1e-3), none above its initialisation, on average 3% lower.
        // Measured under the default, AVX2 and AVX-512 kernels alike (within 0.004): rank 1 0.937, 0.912-0.915, 0.922;
        // rank 2 0.935, 0.912-0.913, 0.920. At lr 1e-2 rank 2 on seed 1 ended at 0.972-0.994 here depending on the kernel, and
        // at 1.008 (above its initialisation) under AVX-512 on another machine.
        var losses = LearnedGrowthFixtures.InitialAndTrainedLosses(steps => new MangoOperator(new MangoOptions { Steps = steps,
            Rank = rank }), 30, 1, 2, 3);
        LearnedGrowthFixtures.ShouldEndBelowInitialisation(losses);
    }

    [Fact]
    public void OperatorTrainingAndItsChecksAreCharged()
    {
        using var data = LearnedGrowthFixtures.LetterCounting(32, 12, seed: 2);
        using var small = LearnedGrowthFixtures.TrainedSmall(data);
        var meter = new BudgetMeter(Budget.Steps(1000), stepsPerEpoch: 1);
        var result = new MangoOperator(new MangoOptions { Steps = 30, Rank = 2 }).GrowWithReport(small, LearnedGrowthFixtures.Big,
            LearnedGrowthFixtures.Context(data, meter: meter));
        using var trained = result.Model;
        trained.Config.Should().Be(LearnedGrowthFixtures.Big);
        meter.Steps.Should().Be(30);
        meter.ForwardOnlySamples.Should().Be(11 * 32, "checks at the initialisation and every 3 steps");
        result.Evaluations.Should().HaveCount(11);
    }

    [Fact]
    public void InvalidRingOptionsAreRejectedByName()
    {
        FluentActions.Invoking(() => new MangoOptions { Rank = 5 }).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "Rank" && e.Message.Contains('5'));
        FluentActions.Invoking(() => new MangoOptions { Rank = 0 }).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Rank");
        FluentActions.Invoking(() => new MangoOptions { RingNoise = -0.1 }).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "RingNoise");
    }
}
