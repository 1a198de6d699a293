namespace Bus.Growth.Tests;

public class SpectralGrowthTests
{
    private static readonly TransformerConfig Small = TinyModels.Config(8, 2, 16);
    private static readonly TransformerConfig Big = TinyModels.Config(16, 2, 40);

    [Theory]
    [InlineData("blocks.0.mlp.fc1.weight")]
    [InlineData("blocks.1.attn.q.weight")]
    [InlineData("blocks.1.mlp.fc2.weight")]
    public void TrainedSpectrumIsTheTopOfTheGrownSpectrum(string name)
    {
        using var source = TinyModels.Random(Small, 1);
        using var grown = new SpectralGrowth().Grow(source, Big, new GrowthContext(2));
        var s = SpectralGrowth.SingularValues(source.CloneWeights()[name]);
        var g = SpectralGrowth.SingularValues(grown.CloneWeights()[name]);
        g.Should().HaveCount(Math.Min((int)grown.CloneWeights()[name].shape[0], (int)grown.CloneWeights()[name].shape[1]));
        for (int k = 0; k < s.Length; k++) g[k].Should().BeApproximately(s[k], 1e-4);
        for (int k = s.Length; k < g.Length; k++) g[k].Should().BeApproximately(0.1 * s[^1], 1e-4);
    }

    [Fact]
    public void ExtensionIsOrthonormalAndKeepsThePaddedBasis()
    {
        var generator = new Generator(3);
        var (u, _, _) = linalg.svd(randn([6, 4], dtype: float64, generator: generator), fullMatrices: false);
        using var extended = SpectralGrowth.OrthonormalExtension(u, 10, 9, generator);
        extended.shape.Should().Equal(10, 9);
        TinyModels.MaxDifference(extended.t().matmul(extended), eye(9, dtype: float64)).Should().BeLessThan(1e-10);
        TinyModels.MaxDifference(extended[..6, ..4], u).Should().BeLessThan(1e-12);
        extended[6.., ..4].abs().max().item<double>().Should().Be(0);
    }

    [Fact]
    public void SameSizeMatricesAreReconstructedAndGrownOnesKeepTheirOldColumns()
    {
        // Thin SVD: r = min(o, i), so V (i <= o) spans the whole old input space and the new directions of V' live in
        // the new coordinates only; hence W_big[:, :i] = [[W], [0]] and only the new columns mix old and new rows.
        var op = new SpectralGrowth();
        var generator = new Generator(1);
        using var w = randn([5, 3], generator: generator);
        using var same = op.ExpandMatrix(w, 5, 3, generator);
        TinyModels.MaxDifference(same, w).Should().BeLessThan(1e-5);
        using var grown = op.ExpandMatrix(w, 8, 6, generator);
        TinyModels.MaxDifference(grown[..5, ..3], w).Should().BeLessThan(1e-5);
        grown[5.., ..3].abs().max().item<float>().Should().BeLessThan(1e-6f);
        grown[..5, 3..].abs().max().item<float>().Should().BeGreaterThan(1e-3f); // unlike BUS identity's zero block
    }

    [Fact]
    public void VectorsAndEmbeddingsArePaddedLikeTheBusIdentity()
    {
        using var source = TinyModels.Random(Small, 1);
        using var grown = new SpectralGrowth().Grow(source, Big, new GrowthContext(2));
        var s = source.CloneWeights();
        var g = grown.CloneWeights();
        TinyModels.MaxDifference(g["blocks.0.ln1.weight"][..8], s["blocks.0.ln1.weight"]).Should().Be(0);
        g["blocks.0.ln1.weight"][8..].Should().Match<Tensor>(t => t.eq(1).all().item<bool>());
        g["blocks.0.mlp.fc1.bias"][16..].abs().max().item<float>().Should().Be(0);
        TinyModels.MaxDifference(g[ParameterNames.TokenEmbedding][.., ..8], s[ParameterNames.TokenEmbedding]).Should().Be(0);
        g[ParameterNames.TokenEmbedding][.., 8..].abs().max().item<float>().Should().Be(0);
    }

    [Fact]
    public void SameSeedGivesSameWeights()
    {
        using var source = TinyModels.Random(Small, 1);
        var op = new SpectralGrowth(new() { NewSingularValue = 0.05 });
        var a = op.Grow(source, Big, new GrowthContext(4)).CloneWeights();
        var b = op.Grow(source, Big, new GrowthContext(4)).CloneWeights();
        var c = op.Grow(source, Big, new GrowthContext(5)).CloneWeights();
        foreach (var name in a.Keys) TinyModels.MaxDifference(a[name], b[name]).Should().Be(0, name);
        TinyModels.MaxDifference(a["blocks.0.attn.k.weight"], c["blocks.0.attn.k.weight"]).Should().BeGreaterThan(0);
        SpectralGrowth.SingularValues(a["blocks.0.mlp.fc1.weight"])[^1].Should().BeApproximately(0.05, 1e-5);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        var factor = () => new SpectralGrowthOptions { NewSingularValueFactor = 1.5 };
        factor.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "NewSingularValueFactor" && e.Message.Contains("1.5"));
        var value = () => new SpectralGrowthOptions { NewSingularValue = double.NaN };
        value.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "NewSingularValue");
        var depth = () => new SpectralGrowth().Validate(Small, Big with { Layers = 3 });
        depth.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Layers");
    }
}
