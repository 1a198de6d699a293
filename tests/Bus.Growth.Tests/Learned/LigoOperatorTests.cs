namespace Bus.Growth.Tests.Learned;

public class LigoOperatorTests
{
    [Fact]
    public void StepZeroGrowthEqualsTheNet2NetExpansionItWasInitialisedAs()
    {
        using var data = LearnedGrowthFixtures.LetterCounting(32, 12, seed: 1);
        using var small = LearnedGrowthFixtures.TrainedSmall(data, steps: 5);
        using var grown = new LigoOperator(new LigoOptions { Steps = 0 }).Grow(small, LearnedGrowthFixtures.Big,
            new GrowthContext(Seed: 7));
        var expected = LearnedGrowthFixtures.ExpansionReference(small, LearnedGrowthFixtures.Big, seed: 7);
        foreach (var (name, p) in grown.named_parameters())
            p.data<float>().ToArray().Should().BeEquivalentTo(expected[name], o => o.WithStrictOrdering().Using<float>(
                c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>(), name);
    }

    [Fact]
    public void SharedWidthFactorsAreTheKroneckerOperator()
    {
        // Kronecker identity behind the shared A, B: vec(A W B^T) = (B ⊗ A) vec(W), checked on random factors.
        random.manual_seed(40);
        using var w = randn(3, 2);
        using var a = randn(5, 3);
        using var b = randn(4, 2);
        using var depth = ones(1, 1);
        using var big = LigoOperator.Expand(w.unsqueeze(0), depth, a, b).squeeze(0);
        // Column-major vec: vec(X) stacks columns, i.e. X^T flattened row-major.
        using var vecBig = big.t().flatten();
        using var kron = TorchSharp.torch.kron(b, a).matmul(w.t().flatten());
        using var diff = (vecBig - kron).abs().max();
        diff.item<float>().Should().BeLessThanOrEqualTo(1e-6f * kron.abs().max().item<float>(), "relative to the magnitude of the result");
    }

    [Fact]
    public void TrainingTheOperatorAtItsDefaultLearningRateLowersTheTaskLossForEverySeed()
    {
        // Three seeds at the default learning rate (1e-3): each trained operator ends no higher than its initialisation
        // (the kept operator's evaluation batch is the whole data set here; the relative 1e-4 covers the module forward
        // against the functional one), and on average 3% lower. Measured: 0.959, 0.930, 0.938 under the default, AVX2 and
        // AVX-512 kernels alike (within 0.001); at lr 1e-2 the ratio moved by up to 0.012 between kernels.
        var losses = LearnedGrowthFixtures.InitialAndTrainedLosses(steps => new LigoOperator(new LigoOptions { Steps = steps }), 30, 1, 2,
            3);
        LearnedGrowthFixtures.ShouldEndBelowInitialisation(losses);
    }

    [Fact]
    public void StepLossesAndChecksAreReportedAndTheKeptCheckIsTheLowest()
    {
        using var data = LearnedGrowthFixtures.LetterCounting(32, 12, seed: 2);
        using var small = LearnedGrowthFixtures.TrainedSmall(data);
        var result = new LigoOperator(new LigoOptions { Steps = 30 }).GrowWithReport(small, LearnedGrowthFixtures.Big,
            LearnedGrowthFixtures.Context(data));
        using var trained = result.Model;
        result.StepLosses.Should().HaveCount(30);
        result.Evaluations.Select(e => e.Step).Should().Equal(0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30);
        var kept = result.Evaluations.Single(e => e.Step == result.KeptStep);
        kept.Loss.Should().Be(result.Evaluations.Min(e => e.Loss));
        kept.Loss.Should().BeLessThan(result.Evaluations[0].Loss);
    }

    [Fact]
    public void MaterialisedModelIsAPlainTransformerWithTheTargetConfig()
    {
        using var data = LearnedGrowthFixtures.LetterCounting(16, 12, seed: 3);
        using var small = GrowableTransformer.Create(LearnedGrowthFixtures.Small, 1);
        using var grown = new LigoOperator(new LigoOptions { Steps = 2 }).Grow(small, LearnedGrowthFixtures.Big,
            LearnedGrowthFixtures.Context(data));
        grown.Should().BeOfType<GrowableTransformer>();
        grown.Config.Should().Be(LearnedGrowthFixtures.Big);
        grown.named_parameters().Select(p => p.name).Should().BeEquivalentTo(
            GrowableTransformer.Create(LearnedGrowthFixtures.Big, 0).named_parameters().Select(p => p.name));
        grown.parameters().Should().OnlyContain(p => p.requires_grad);
        using var logits = grown.forward(data.Inputs);
        logits.shape.Should().Equal(16, 12, LearnedGrowthFixtures.Big.OutputSize);
    }

    [Fact]
    public void OperatorTrainingAndItsChecksAreChargedToTheMeterAtTheBigModelCost()
    {
        using var data = LearnedGrowthFixtures.LetterCounting(16, 12, seed: 4);
        using var small = GrowableTransformer.Create(LearnedGrowthFixtures.Small, 1);
        var meter = new BudgetMeter(Budget.Steps(1000), stepsPerEpoch: 1);
        using var grown = new LigoOperator(new LigoOptions { Steps = 4 }).Grow(small, LearnedGrowthFixtures.Big,
            LearnedGrowthFixtures.Context(data, meter: meter));
        meter.Steps.Should().Be(4);
        meter.Samples.Should().Be(4 * 16);
        meter.ForwardOnlySamples.Should().Be(5 * 16, "the operator is checked at its initialisation and after each of the 4 steps");
        var step = new StepCost(16, 12, LearnedGrowthFixtures.Big.Layers, false, "adam");
        double flops = 4 * FlopCounter.Estimate(LearnedGrowthFixtures.Big, step) + 5 * FlopCounter.Estimate(LearnedGrowthFixtures.Big,
            step with { ForwardOnly = true });
        meter.Flops.Should().BeApproximately(flops, 1e-6 * flops);
    }

    [Fact]
    public void AMissingObjectiveAndAnImpossibleWidthAreRejected()
    {
        using var small = GrowableTransformer.Create(LearnedGrowthFixtures.Small, 1);
        using var data = LearnedGrowthFixtures.LetterCounting(4, 12, seed: 1);
        FluentActions.Invoking(() => new LigoOperator().Grow(small, LearnedGrowthFixtures.Big, new GrowthContext(1, data)))
            .Should().Throw<InvalidOperationException>().WithMessage("*Objective*");
        FluentActions.Invoking(() => new LigoOperator().Grow(small, LearnedGrowthFixtures.Small with { DModel = 4, Heads = 1 },
            new GrowthContext(1, data)))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == "DModel");
    }
}
