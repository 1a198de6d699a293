namespace Bus.Growth.Tests;

public class BusIdentityExpansionTests
{
    private static readonly TransformerConfig Small = TinyModels.Config(2, 1, 4, layers: 1);
    private static readonly TransformerConfig Big = TinyModels.Config(4, 1, 8, layers: 1);

    private static (Dictionary<string, Tensor> Small, Dictionary<string, Tensor> Big) Grow()
    {
        using var source = TinyModels.Random(Small, 1);
        using var grown = new BusIdentityExpansion().Grow(source, Big, new GrowthContext(0));
        return (source.CloneWeights(), grown.CloneWeights());
    }

    private static float[,] Values(Tensor t)
    {
        var result = new float[t.shape[0], t.shape[1]];
        var data = t.contiguous().data<float>().ToArray();
        for (int i = 0; i < result.GetLength(0); i++)
            for (int j = 0; j < result.GetLength(1); j++) result[i, j] = data[i * result.GetLength(1) + j];
        return result;
    }

    [Fact]
    public void SquareMatrixBecomesTrainedBlockPlusIdentity()
    {
        var (s, g) = Grow();
        var w = Values(s["blocks.0.attn.q.weight"]);
        var expected = new float[,]
        {
            { w[0, 0], w[0, 1], 0, 0 },
            { w[1, 0], w[1, 1], 0, 0 },
            { 0, 0, 1, 0 },
            { 0, 0, 0, 1 },
        };
        Values(g["blocks.0.attn.q.weight"]).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void RectangularMatrixGetsOneHotRowsForTheNewDiagonal()
    {
        var (s, g) = Grow();
        var w = Values(s["blocks.0.mlp.fc1.weight"]); // [4, 2] -> [8, 4]
        var expected = new float[8, 4];
        for (int i = 0; i < 4; i++) { expected[i, 0] = w[i, 0]; expected[i, 1] = w[i, 1]; }
        expected[4, 2] = 1;
        expected[5, 3] = 1; // rows 6 and 7 have no column left for a one-hot entry
        Values(g["blocks.0.mlp.fc1.weight"]).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void VectorsAndEmbeddingsArePadded()
    {
        var (s, g) = Grow();
        foreach (var norm in new[] { "blocks.0.ln1.weight", "blocks.0.ln2.weight", ParameterNames.FinalNormWeight })
        {
            g[norm][..2].data<float>().ToArray().Should().Equal(s[norm].data<float>().ToArray());
            g[norm][2..].data<float>().ToArray().Should().Equal(1f, 1f);
        }
        foreach (var bias in new[] { "blocks.0.ln1.bias", "blocks.0.attn.o.bias", "blocks.0.mlp.fc2.bias", ParameterNames.FinalNormBias })
            g[bias][2..].data<float>().ToArray().Should().Equal(0f, 0f);
        g["blocks.0.mlp.fc1.bias"][4..].data<float>().ToArray().Should().Equal(0f, 0f, 0f, 0f);
        g[ParameterNames.HeadBias].data<float>().ToArray().Should().Equal(s[ParameterNames.HeadBias].data<float>().ToArray());
        foreach (var embedding in new[] { ParameterNames.TokenEmbedding, ParameterNames.PositionEmbedding })
        {
            TinyModels.MaxDifference(g[embedding][.., ..2], s[embedding]).Should().Be(0);
            g[embedding][.., 2..].abs().max().item<float>().Should().Be(0);
        }
    }

    [Fact]
    public void ValidateRejectsShrinkingModeChangeAndDepthChange()
    {
        var op = new BusIdentityExpansion();
        var shrink = () => op.Validate(Big, Small);
        shrink.Should().Throw<ArgumentException>().Where(e => e.ParamName == nameof(TransformerConfig.DModel) && e.Message.Contains('4') && e.Message.Contains('2'));
        var mode = () => op.Validate(Small, Big with { Mode = ModelMode.Decoder });
        mode.Should().Throw<ArgumentException>().Where(e => e.ParamName == "target" && e.Message.Contains("Decoder"));
        var depth = () => op.Validate(Small, Big with { Layers = 2 });
        depth.Should().Throw<ArgumentException>().Where(e => e.ParamName == nameof(TransformerConfig.Layers) && e.Message.Contains('2'));
    }
}
