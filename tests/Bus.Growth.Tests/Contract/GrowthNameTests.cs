namespace Bus.Growth.Tests.Contract;

/// <summary>The one grammar of growth names: &lt;operator&gt;[@fraction][:map].</summary>
public class GrowthNameTests
{
    [Theory]
    [InlineData("hypercloning", "hypercloning", null, OptimizerStatePolicy.Reset)]
    [InlineData("HyperCloning", "hypercloning", null, OptimizerStatePolicy.Reset)]
    [InlineData("stack-depth@0.5", "stack-depth", 0.5, OptimizerStatePolicy.Reset)]
    [InlineData("fpi-width-rr@0.25:map", "fpi-width-rr", 0.25, OptimizerStatePolicy.MapMoments)]
    [InlineData("midas:map", "midas", null, OptimizerStatePolicy.MapMoments)]
    public void NamesParseToOperatorFractionAndPolicy(string text, string op, double? fraction, OptimizerStatePolicy policy)
    {
        var name = GrowthName.Parse(text);
        name.Should().Be(new GrowthName(op, fraction, policy));
        GrowthName.Parse(name.ToString()).Should().Be(name);
        name.CreateOperator().Name.Should().Be(op);
    }

    [Fact]
    public void UnknownOperatorsAreNotGrowthNamesAndMalformedFractionsAreErrors()
    {
        GrowthName.TryParse("sophia@0.5", out var none).Should().BeFalse();
        none.Should().BeNull();
        FluentActions.Invoking(() => GrowthName.Parse("sophia")).Should().Throw<ArgumentException>().WithMessage("*unknown operator 'sophia'*hypercloning*");
        FluentActions.Invoking(() => GrowthName.Parse("bus-identity@x")).Should().Throw<ArgumentException>().WithMessage("*'x' is not a growth fraction*");
        FluentActions.Invoking(() => GrowthName.Parse("bus-identity@1.5")).Should().Throw<ArgumentException>().WithMessage("*1.5 must lie in (0, 1)*");
        FluentActions.Invoking(() => GrowthName.Parse("bus-identity@0")).Should().Throw<ArgumentException>().WithMessage("*0 must lie in (0, 1)*");
    }

    [Fact]
    public void OperatorNamesResolveToTheirRegisteredSpelling()
    {
        GrowthName.ParseOperator("FPI-Width-RR").Should().Be("fpi-width-rr");
        GrowthName.ParseOperator("nope").Should().BeNull();
    }
}
