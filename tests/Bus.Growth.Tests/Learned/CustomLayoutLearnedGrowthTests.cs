namespace Bus.Growth.Tests.Learned;

/// <summary>LiGO and MANGO on a model that is not Bus's: a residual RMSNorm MLP language model, its layout and its forward over named tensors.</summary>
public class CustomLayoutLearnedGrowthTests
{
    private static readonly LayoutAxis Residual = new(AxisSpace.Residual);
    private static readonly LayoutAxis ReadsResidual = new(AxisSpace.Residual, Reads: true);

    private static readonly ModelLayout Layout = new("residual-mlp", NormKind.RmsNorm,
    [
        new("embed.weight", ParameterKind.Embedding, new(AxisSpace.Vocabulary), Residual),
        new("layers.{i}.norm.weight", ParameterKind.NormGain, Residual),
        new("layers.{i}.up.weight", ParameterKind.Weight, new(AxisSpace.Mlp), ReadsResidual),
        new("layers.{i}.down.weight", ParameterKind.Weight, Residual, new(AxisSpace.Mlp, Reads: true)),
        new("out.weight", ParameterKind.Weight, new(AxisSpace.Outputs), ReadsResidual),
    ]);

    private static ModelShape Shape(int d, int ff, int layers) => new(d, 1, 1, d, ff, layers, Vocabulary: 8, Positions: 0, Outputs: 8);

    // x = E[tokens]; x += down(ReLU(up(RMSNorm(x) ⊙ g))) per layer; logits = out(x).
    private static Tensor Forward(IReadOnlyDictionary<string, Tensor> w, Tensor tokens, int layers)
    {
        var x = w["embed.weight"].index_select(0, tokens.flatten()).view(tokens.shape[0], tokens.shape[1], -1);
        for (int l = 0; l < layers; l++)
        {
            var normed = RmsNorm.Normalise(x, w[$"layers.{l}.norm.weight"]);
            x = x + nn.functional.linear(nn.functional.relu(nn.functional.linear(normed, w[$"layers.{l}.up.weight"])), w[$"layers.{l}.down.weight"]);
        }
        return nn.functional.linear(x, w["out.weight"]);
    }

    [Theory]
    [InlineData("ligo")]
    [InlineData("mango")]
    public void AUserModelGrowsThroughItsLayoutAndForwardAndOperatorTrainingLowersItsLoss(string name)
    {
        using var scope = NewDisposeScope();
        var from = Shape(8, 16, 1);
        var to = Shape(16, 32, 2);
        var generator = new Generator(31);
        var small = Layout.Parameters(from).ToDictionary(p => p.Name, p => p.Rule.Kind == ParameterKind.NormGain
            ? ones(p.Shape) : randn(p.Shape, generator: generator) * 0.3);
        using var data = LearnedGrowthFixtures.NextSymbol(32, 12, seed: 4);
        var context = new GrowthContext(3, data, SequenceObjective.LanguageModel, BatchSize: 32);
        FunctionalForward forward = (w, tokens) => Forward(w, tokens, to.Layers);
        LearnedGrowthOperator Create(int steps) => name == "ligo"
            ? new LigoOperator(new LigoOptions { Steps = steps, LearningRate = 3e-3 })
            : new MangoOperator(new MangoOptions { Steps = steps, LearningRate = 3e-3 });

        var initial = Create(0).Grow(small, Layout, from, to, forward, context);
        int charged = 0, checks = 0;
        var trained = Create(30).Grow(small, Layout, from, to, forward, context, cost => _ = cost.ForwardOnly ? checks++ : charged++);

        Layout.Validate(trained.Weights, to);   // every parameter present, at the grown shape
        charged.Should().Be(30);
        checks.Should().Be(11, "the operator is checked at its initialisation and every 3 steps");
        double Loss(IReadOnlyDictionary<string, Tensor> w)
        {
            using var noGrad = no_grad();
            return SequenceObjective.LanguageModel.Loss(forward(w, data.Inputs), data.Targets).item<float>();
        }
        double before = Loss(initial.Weights), after = Loss(trained.Weights);
        after.Should().BeLessThan(before * 0.99, $"{name}: loss at the operator's initialisation {before}");
    }
}
