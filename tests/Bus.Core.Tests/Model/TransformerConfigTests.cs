namespace Bus.Core.Tests.Model;

public class TransformerConfigTests
{
    [Theory]
    [InlineData(nameof(TransformerConfig.VocabSize))]
    [InlineData(nameof(TransformerConfig.MaxLength))]
    [InlineData(nameof(TransformerConfig.DModel))]
    [InlineData(nameof(TransformerConfig.Heads))]
    [InlineData(nameof(TransformerConfig.FeedForwardSize))]
    [InlineData(nameof(TransformerConfig.Layers))]
    [InlineData(nameof(TransformerConfig.Classes))]
    public void NonPositiveSizesNameTheParameter(string property)
    {
        foreach (int bad in new[] { 0, -3 })
        {
            var act = () => Set(property, bad);
            act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(property);
            act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*{bad}*");
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void DropoutOutsideUnitIntervalIsRejected(double dropout)
    {
        var act = () => new TransformerConfig { Dropout = dropout };
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Dropout");
    }

    [Fact]
    public void HeadsMustDivideDModel()
    {
        var act = () => new TransformerConfig { DModel = 64, Heads = 3 }.Validate();
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Heads");
        var model = () => new GrowableTransformer(new TransformerConfig { DModel = 10, Heads = 4 });
        model.Should().Throw<ArgumentException>().WithMessage("*Heads (4)*DModel (10)*");
    }

    [Fact]
    public void JsonRoundTripKeepsEveryField()
    {
        var config = new TransformerConfig { VocabSize = 30, MaxLength = 33, DModel = 48, Heads = 4, FeedForwardSize = 96, Layers = 3, Dropout = 0.1, Mode = ModelMode.Decoder, Classes = 5 };
        var json = config.ToJson();
        json.Should().Contain("\"d_model\":48").And.Contain("\"mode\":\"decoder\"");
        TransformerConfig.FromJson(json).Should().Be(config);
    }

    [Fact]
    public void FeedForwardSizeKeepsItsJsonNamesSoOldFilesLoadAndNewOnesAreUnchanged()
    {
        const string snake = "{\"vocab_size\":27,\"max_length\":20,\"d_model\":64,\"heads\":1,\"d_ff\":256,\"layers\":1,\"dropout\":0,\"mode\":\"encoder\",\"classes\":3,\"architecture\":\"gpt\",\"tie_embeddings\":false,\"rope_theta\":10000}";
        const string pascal = "{\"VocabSize\":27,\"MaxLength\":20,\"DModel\":64,\"Heads\":1,\"DFf\":256,\"Layers\":1,\"Dropout\":0,\"Mode\":0,\"Classes\":3,\"Architecture\":0,\"TieEmbeddings\":false,\"RopeTheta\":10000}"; // keeps the JSON name
        var config = new TransformerConfig();
        config.ToJson().Should().Be(snake);
        System.Text.Json.JsonSerializer.Serialize(config).Should().Be(pascal);
        TransformerConfig.FromJson(snake.Replace("256", "100", StringComparison.Ordinal)).FeedForwardSize.Should().Be(100);
        System.Text.Json.JsonSerializer.Deserialize<TransformerConfig>(pascal.Replace("256", "100", StringComparison.Ordinal))!.FeedForwardSize.Should().Be(100);
    }

    [Fact]
    public void OutputSizeFollowsMode()
    {
        new TransformerConfig { Classes = 3 }.OutputSize.Should().Be(3);
        new TransformerConfig { Mode = ModelMode.Decoder, VocabSize = 27 }.OutputSize.Should().Be(27);
    }

    private static TransformerConfig Set(string property, int value) => property switch
    {
        nameof(TransformerConfig.VocabSize) => new TransformerConfig { VocabSize = value },
        nameof(TransformerConfig.MaxLength) => new TransformerConfig { MaxLength = value },
        nameof(TransformerConfig.DModel) => new TransformerConfig { DModel = value },
        nameof(TransformerConfig.Heads) => new TransformerConfig { Heads = value },
        nameof(TransformerConfig.FeedForwardSize) => new TransformerConfig { FeedForwardSize = value },
        nameof(TransformerConfig.Layers) => new TransformerConfig { Layers = value },
        _ => new TransformerConfig { Classes = value },
    };
}
