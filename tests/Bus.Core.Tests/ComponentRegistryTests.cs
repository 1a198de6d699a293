namespace Bus.Core.Tests;

public class ComponentRegistryTests
{
    private static readonly ComponentRegistry<string> Colours = new("colour", new Dictionary<string, Func<string>>
    {
        ["red"] = () => "R",
        ["green"] = () => "G",
    });

    [Fact]
    public void NamesAreMatchedIgnoringCaseAndListedInRegistrationOrder()
    {
        Colours.Names.Should().Equal("red", "green");
        Colours.Create("GREEN").Should().Be("G");
        Colours.Contains("Red").Should().BeTrue();
        Colours.TryCreate("blue", out _).Should().BeFalse();
    }

    [Fact]
    public void AnUnknownNameIsRefusedListingTheKnownOnes()
    {
        var act = () => Colours.Create("blue");
        act.Should().Throw<ArgumentException>().Which.Message.Should().StartWith("Unknown colour 'blue'. Known: red, green.");
    }

    [Fact]
    public void ANameRegisteredTwiceIsRefused()
    {
        var act = () => new ComponentRegistry<int>("number", [new("one", () => 1), new("ONE", () => 1)]);
        act.Should().Throw<ArgumentException>().WithMessage("*number 'ONE'*twice*");
    }
}
