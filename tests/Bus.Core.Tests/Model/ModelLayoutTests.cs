namespace Bus.Core.Tests.Model;

public class ModelLayoutTests
{
    public static TheoryData<TransformerConfig> Families => new()
    {
        new TransformerConfig { DModel = 16, Heads = 2, FeedForwardSize = 24, Layers = 2, MaxLength = 9 },
        new TransformerConfig { Architecture = ModelArchitecture.Llama, DModel = 16, Heads = 4, KvHeads = 2, FeedForwardSize = 24, Layers = 2, MaxLength = 9 },
        new TransformerConfig { Architecture = ModelArchitecture.Llama, DModel = 16, Heads = 4, KvHeads = 1, FeedForwardSize = 24, Layers = 3, Mode = ModelMode.Decoder, TieEmbeddings = true },
    };

    [Theory, MemberData(nameof(Families))]
    public void LayoutListsExactlyTheModelsParametersAndShapes(TransformerConfig config)
    {
        using var model = new GrowableTransformer(config);
        var actual = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var declared = model.Layout.Parameters(model.Shape).ToList();
        declared.Select(p => p.Name).Should().BeEquivalentTo(actual.Keys);
        foreach (var p in declared) actual[p.Name].Should().Equal(p.Shape, p.Name);
    }

    [Fact]
    public void ResolveFindsTheRuleAndLayer()
    {
        var (rule, layer) = LlamaLayout.Untied.Resolve("blocks.12.attn.k.weight");
        layer.Should().Be(12);
        rule.Rows.Should().Be(new LayoutAxis(AxisSpace.KeyValueHeads));
        rule.Columns.Should().Be(new LayoutAxis(AxisSpace.Residual, Reads: true));
        LlamaLayout.Untied.InLayer("blocks.12.attn.k.weight", 3).Should().Be("blocks.3.attn.k.weight");
        GptLayout.Layout.Resolve("blocks.0.mlp.fc2.bias").Rule.WritesResidual.Should().BeTrue();
        GptLayout.Layout.Resolve("blocks.0.ln2.bias").Rule.WritesResidual.Should().BeFalse();
        LlamaLayout.Tied.TryResolve("head.weight", out _, out _).Should().BeFalse();
        LlamaLayout.Untied.TryResolve("blocks.x.attn.k.weight", out _, out _).Should().BeFalse();
    }

    [Fact]
    public void ValidateNamesTheParameterItsShapeAndTheRule()
    {
        var config = new TransformerConfig { Architecture = ModelArchitecture.Llama, DModel = 16, Heads = 4, KvHeads = 2, FeedForwardSize = 24, Layers = 1 };
        using var model = new GrowableTransformer(config);
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var layout = model.Layout;
        var shape = model.Shape;
        layout.Validate(weights, shape);

        using var wrong = zeros(16, 16);
        var act = () => layout.Validate(new Dictionary<string, Tensor>(weights) { ["blocks.0.attn.k.weight"] = wrong }, shape);
        act.Should().Throw<ArgumentException>().WithMessage("*'blocks.0.attn.k.weight' has shape [16, 16]*blocks.{i}.attn.k.weight*KeyValueHeads*[8, 16]*");

        var missing = new Dictionary<string, Tensor>(weights);
        missing.Remove("blocks.0.mlp.down.weight");
        act = () => layout.Validate(missing, shape);
        act.Should().Throw<ArgumentException>().WithMessage("*'blocks.0.mlp.down.weight'*missing*");

        act = () => layout.Validate(new Dictionary<string, Tensor>(weights) { ["blocks.1.ln1.weight"] = wrong }, shape);
        act.Should().Throw<ArgumentException>().WithMessage("*'blocks.1.ln1.weight' [16, 16]*block 1 is past the model's 1 layers*");

        act = () => layout.Validate(new Dictionary<string, Tensor>(weights) { ["pos_emb.weight"] = wrong }, shape);
        act.Should().Throw<ArgumentException>().WithMessage("*'pos_emb.weight'*matches no rule*");
    }

    [Fact]
    public void RepeatedPatternsAreRefused()
    {
        var rule = new ParameterRule("x.weight", ParameterKind.Weight, new(AxisSpace.Residual), new(AxisSpace.Residual, true));
        var act = () => new ModelLayout("mine", NormKind.RmsNorm, [rule, rule]);
        act.Should().Throw<ArgumentException>().WithMessage("*'x.weight' appears twice*");
    }
}
