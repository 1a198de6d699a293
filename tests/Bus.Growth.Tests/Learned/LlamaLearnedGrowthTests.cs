namespace Bus.Growth.Tests.Learned;

/// <summary>LiGO and MANGO on the Llama family (RMSNorm, RoPE, SwiGLU, grouped-query attention with both head counts grown), tied and
/// untied.</summary>
public class LlamaLearnedGrowthTests
{
    public static TheoryData<string, bool> Operators => new() { { "ligo", false }, { "ligo", true }, { "mango", false }, { "mango", true } };

    private static LearnedGrowthOperator Create(string name, int steps) => name == "ligo"
        ? new LigoOperator(new LigoOptions { Steps = steps, LearningRate = LearningRate })
        : new MangoOperator(new MangoOptions { Steps = steps, LearningRate = LearningRate });

    private const double LearningRate = 3e-3;

    private static (TransformerConfig Small, TransformerConfig Big, SequenceDataset Data,
        SequenceObjective Objective) Task(bool tied) => tied
        ? (LearnedGrowthFixtures.SmallTiedLlama, LearnedGrowthFixtures.BigTiedLlama, LearnedGrowthFixtures.NextSymbol(32, 12, seed: 2),
            SequenceObjective.LanguageModel)
        : (LearnedGrowthFixtures.SmallLlama, LearnedGrowthFixtures.BigLlama, LearnedGrowthFixtures.LetterCounting(32, 12, seed: 2),
            SequenceObjective.TokenClassification);

    [Theory]
    [MemberData(nameof(Operators))]
    public void StepZeroGrowthEqualsTheWidthExpansionStackedInDepth(string name, bool tied)
    {
        var (smallConfig, big, data, objective) = Task(tied);
        using var _ = data;
        using var small = LearnedGrowthFixtures.Trained(smallConfig, data, objective, steps: 5);
        using var grown = Create(name, steps: 0).Grow(small, big, new GrowthContext(Seed: 7));
        var expected = LearnedGrowthFixtures.ExpansionReference(small, big, seed: 7);
        grown.named_parameters().Select(p => p.name).Should().BeEquivalentTo(expected.Keys);
        foreach (var (parameter, p) in grown.named_parameters())
        {
            var actual = p.data<float>().ToArray();
            double scale = expected[parameter].Max(v => Math.Abs(v));
            actual.Zip(expected[parameter], (x, y) => (double)Math.Abs(x - y)).Max().Should().BeLessThanOrEqualTo(1e-6 * scale, parameter);
        }
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void TrainingTheOperatorLowersTheTaskLoss(string name, bool tied)
    {
        var (smallConfig, big, data, objective) = Task(tied);
        using var _ = data;
        using var small = LearnedGrowthFixtures.Trained(smallConfig, data, objective);
        var context = new GrowthContext(3, data, objective, BatchSize: 32);
        using var initial = Create(name, steps: 0).Grow(small, big, context);
        var result = Create(name, steps: 30).GrowWithReport(small, big, context);
        using var trained = result.Model;
        trained.Config.Should().Be(big);
        double before = LearnedGrowthFixtures.Loss(initial, data, objective), after = LearnedGrowthFixtures.Loss(trained, data, objective);
        after.Should().BeLessThan(before * 0.99,
            $"{name} on Llama (tied: {tied}): loss at the operator's initialisation {before}; step losses {string.Join(" ", result.StepLosses.Select(l => l.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void NamedTensorGrowthThroughAForwardDelegateMatchesTheModelOverload()
    {
        var (smallConfig, big, data, objective) = Task(tied: false);
        using var _ = data;
        using var small = GrowableTransformer.Create(smallConfig, 1);
        var context = new GrowthContext(5, data, objective, BatchSize: 16);
        var op = new LigoOperator(new LigoOptions { Steps = 2, LearningRate = 1e-2 });
        using var model = op.Grow(small, big, context);
        var weights = small.CloneWeights();
        var grown = op.Grow(weights, small.Layout, small.Shape, ModelShape.From(big), (w, tokens) => FunctionalTransformer.Forward(w, big,
            tokens), context);
        grown.StepLosses.Should().HaveCount(2);
        grown.Weights.Keys.Should().BeEquivalentTo(model.named_parameters().Select(p => p.name));
        foreach (var (parameter, p) in model.named_parameters())
        {
            using var diff = (grown.Weights[parameter] - p).abs().max();
            diff.item<float>().Should().BeLessThanOrEqualTo(1e-6f * Math.Max(1f, p.abs().max().item<float>()), parameter);
        }
        foreach (var t in weights.Values.Concat(grown.Weights.Values)) t.Dispose();
    }

    [Fact]
    public void WeightsThatMissALayoutParameterAreRefusedByName()
    {
        using var small = GrowableTransformer.Create(LearnedGrowthFixtures.SmallLlama, 1);
        var weights = small.CloneWeights();
        weights.Remove("blocks.0.mlp.up.weight");
        var act = () => new MangoOperator(new MangoOptions { Steps = 0 }).Grow(weights, small.Layout, small.Shape,
            ModelShape.From(LearnedGrowthFixtures.BigLlama), (w, tokens) => FunctionalTransformer.Forward(w,
                LearnedGrowthFixtures.BigLlama, tokens), new GrowthContext(1));
        act.Should().Throw<ArgumentException>().WithMessage("*blocks.0.mlp.up.weight*");
        foreach (var t in weights.Values) t.Dispose();
    }
}
