using Bus.Core.Model;

namespace Bus.Core.Tests.Model;

/// <summary>Issue 21.4: one summary string of a model's shape, and one head rule for TransformerConfig and ModelShape.</summary>
public sealed class ModelDescriptionTests
{
    [Fact]
    public void DescribeNamesTheFourSizesInTheFormatOfLogsAndFingerprints()
    {
        var config = new TransformerConfig { DModel = 48, Heads = 4, FeedForwardSize = 96, Layers = 3 };
        config.Describe().Should().Be("d_model=48 d_ff=96 heads=4 layers=3");
        ModelShape.From(config).Describe().Should().Be(config.Describe(), "a ModelShape prints as its config does");
        ModelShape.Of(dModel: 48, heads: 4, layers: 3, vocabulary: 27, feedForwardSize: 96).Describe().Should().Be(config.Describe());
    }

    [Fact]
    public void DescribeIgnoresTheCurrentCulture()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            new TransformerConfig { DModel = 1024, FeedForwardSize = 4096, Heads = 8 }.Describe()
                .Should().Be("d_model=1024 d_ff=4096 heads=8 layers=1");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData(64, 3)]
    [InlineData(10, 4)]
    public void TheHeadRuleIsOneRuleWithEachTypesNames(int dModel, int heads)
    {
        var config = () => new TransformerConfig { DModel = dModel, Heads = heads }.Validate();
        config.Should().Throw<ArgumentException>().WithParameterName("Heads").WithMessage($"Heads ({heads}) must divide DModel "
            + $"({dModel}).*");
        var shape = () => ModelShape.Of(dModel, heads, layers: 1, vocabulary: 27);
        shape.Should().Throw<ArgumentException>().WithParameterName("heads")
            .WithMessage($"heads ({heads}) must divide dModel ({dModel}), or give headDim.*");
        ModelShape.Of(dModel, heads, layers: 1, vocabulary: 27, headDim: 8).HeadDim.Should().Be(8, "an explicit head width lifts the rule");
    }

    [Fact]
    public void KeyValueHeadsMustDivideTheQueryHeadsInBoth()
    {
        var config = () => new TransformerConfig { Architecture = ModelArchitecture.Llama, DModel = 64, Heads = 4, KvHeads = 3 }.Validate();
        config.Should().Throw<ArgumentException>().WithParameterName("KvHeads").WithMessage("KvHeads (3) must divide Heads (4).*");
        var shape = () => ModelShape.Of(64, 4, layers: 1, vocabulary: 27, kvHeads: 3);
        shape.Should().Throw<ArgumentException>().WithParameterName("kvHeads").WithMessage("kvHeads (3) must divide heads (4).*");
    }
}
