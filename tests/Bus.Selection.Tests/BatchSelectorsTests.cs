namespace Bus.Selection.Tests;

public class BatchSelectorsTests
{
    [Fact]
    public void UniformMeansNoSelectorAndTheOthersAreCreatedByName()
    {
        BatchSelectors.Names.Should().Equal("uniform", "selective-backprop");
        BatchSelectors.Create("uniform").Should().BeNull();
        BatchSelectors.Create("Selective-Backprop").Should().BeOfType<SelectiveBackpropSelector>();
    }

    [Fact]
    public void AnUnknownSelectorIsRefusedListingTheKnownOnes()
    {
        var act = () => BatchSelectors.Create("rho-loss");
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'rho-loss'").And.Contain("uniform, selective-backprop");
    }
}
