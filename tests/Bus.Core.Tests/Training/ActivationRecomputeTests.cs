namespace Bus.Core.Tests.Training;

/// <summary>Activation recompute per residual block: the same loss and gradients as plain autograd, bit for bit.</summary>
[Collection(DeterminismCollection.Name)]
public class ActivationRecomputeTests
{
    /// <summary>Loss and every parameter's gradient after one training forward/backward pass (dropout on).</summary>
    private static (float Loss, Dictionary<string, float[]> Grads) Gradients(ModelArchitecture architecture, bool recompute, long seed)
    {
        var config = TestData.Tiny with
        {
            Architecture = architecture, Dropout = 0.2, Layers = 3, Heads = 2, KvHeads = 2, Mode = ModelMode.Decoder,
        };
        using var model = GrowableTransformer.Create(config, seed: 5);
        model.Recompute = recompute;
        model.train();
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var tokens = randint(0, config.VocabSize, [4, 10], generator: g);
        var targets = randint(0, config.OutputSize, [4, 10], generator: g);
        manual_seed(seed); // same dropout masks in both paths
        var logits = model.forward(tokens);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, config.OutputSize), targets.reshape(-1));
        loss.backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        return (loss.item<float>(), grads);
    }

    [Theory]
    [InlineData(ModelArchitecture.Gpt)]
    [InlineData(ModelArchitecture.Llama)]
    public void GradientsEqualThePlainPathBitForBitWithDropout(ModelArchitecture architecture)
    {
        var plain = Gradients(architecture, recompute: false, seed: 3);
        long before = RecomputedBlockFunction.Recomputations;
        var recomputed = Gradients(architecture, recompute: true, seed: 3);
        (RecomputedBlockFunction.Recomputations - before).Should().Be(3, "each of the 3 blocks is recomputed once");
        recomputed.Loss.Should().Be(plain.Loss);
        recomputed.Grads.Keys.Should().Equal(plain.Grads.Keys);
        foreach (var (name, grad) in plain.Grads)
            recomputed.Grads[name].Should().Equal(grad, $"the gradient of {name} must match bit for bit");
        plain.Grads.Values.Should().Contain(g => g.Any(v => v != 0), "the test must exercise non-zero gradients");
    }

    [Fact]
    public void TheRecomputationPutsTheGeneratorBackWhereTheBackwardPassFoundIt()
    {
        manual_seed(9);
        using var model = GrowableTransformer.Create(TestData.Tiny with { Dropout = 0.3 }, seed: 2);
        model.Recompute = true;
        using var scope = NewDisposeScope();
        var tokens = randint(0, TestData.Tiny.VocabSize, [2, 8], generator: new Generator(1));
        manual_seed(4);
        var output = model.forward(tokens);
        var before = get_rng_state().data<byte>().ToArray();
        output.sum().backward();
        get_rng_state().data<byte>().ToArray().Should().Equal(before, "the backward pass must not consume random numbers");
    }

    [Fact]
    public void GatedResidualBlocksOfAnyModuleRecomputeWithTheSameGradients()
    {
        float[][] Run(bool recompute)
        {
            manual_seed(21);
            using var blocks = new GatedResidualBlocks([
                nn.Sequential(nn.Linear(6, 12), nn.GELU(), nn.Dropout(0.25), nn.Linear(12, 6)),
                nn.Sequential(nn.Linear(6, 12), nn.Tanh(), nn.Dropout(0.25), nn.Linear(12, 6)),
            ]) { Recompute = recompute };
            blocks.train();
            using var scope = NewDisposeScope();
            var x = randn(5, 6, generator: new Generator(8)).requires_grad_(true);
            manual_seed(77);
            blocks.forward(x).pow(2).sum().backward();
            return [x.grad!.data<float>().ToArray(), .. blocks.parameters().Select(p => p.grad!.data<float>().ToArray())];
        }

        var plain = Run(false);
        long before = RecomputedBlockFunction.Recomputations;
        var recomputed = Run(true);
        (RecomputedBlockFunction.Recomputations - before).Should().Be(2);
        recomputed.Should().HaveCount(plain.Length);
        for (int i = 0; i < plain.Length; i++) recomputed[i].Should().Equal(plain[i], $"gradient {i} must match bit for bit");
    }

    [Fact]
    public void WithoutGradientsTheBlockSimplyRuns()
    {
        using var scope = NewDisposeScope();
        var linear = nn.Linear(3, 3);
        var x = randn(2, 3);
        using var noGrad = no_grad();
        var y = ActivationRecompute.Run(linear.forward, x, linear.parameters());
        y.requires_grad.Should().BeFalse();
        y.data<float>().ToArray().Should().Equal(linear.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void EnableSetsEveryRecomputableModuleInside()
    {
        using var blocks = new GatedResidualBlocks([nn.Linear(2, 2)]);
        using var model = nn.Sequential(("blocks", blocks), ("head", nn.Linear(2, 1)));
        ActivationRecompute.Enable(model).Should().Be(1);
        blocks.Recompute.Should().BeTrue();
    }

    [Fact]
    public void TrainingWithRecomputeGivesTheSameWeightsBitForBit()
    {
        Dictionary<string, float[]> Train(bool recompute)
        {
            using var train = TestData.LetterCounting(96, 10, seed: 1);
            using var dev = TestData.LetterCounting(32, 10, seed: 2);
            var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(8), Seed = 4, Recompute = recompute };
            var result = new Trainer(options).Fit(GrowableTransformer.Create(TestData.Tiny with { Dropout = 0.1 }, seed: 3), train, dev,
                SequenceObjective.TokenClassification);
            using var model = result.Model;
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        }

        var plain = Train(false);
        var recomputed = Train(true);
        foreach (var (name, w) in plain) recomputed[name].Should().Equal(w, $"parameter {name} must match bit for bit");
    }
}
