namespace Bus.Cli.Tests;

/// <summary><c>bus train</c> rejects bad arguments with exit code 2 and a message naming the option and its value.</summary>
public sealed class TrainCommandArgumentTests
{
    [Theory]
    [InlineData("--d", "0")]
    [InlineData("--heads", "3")]
    [InlineData("--steps", "-5")]
    [InlineData("--lr", "NaN")]
    [InlineData("--dropout", "1.5")]
    [InlineData("--checkpoint-every", "0")]
    [InlineData("--optimizer", "sgd")]
    [InlineData("--batch", "100000")]
    public void BadValueExitsWithTwoNamingOptionAndValue(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--d"] = "16", ["--steps"] = "10", [option] = value };
        var (code, _, stderr) = BusProcess.Run(Path.GetTempPath(), ["train", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        code.Should().Be(2);
        stderr.Should().Contain(option).And.Contain(value);
    }

    [Fact]
    public void GrowthToSmallerWidthExitsWithTwo()
    {
        var (code, _, stderr) = BusProcess.Run(Path.GetTempPath(), ["train", "--d", "16", "--steps", "10", "--grow-at-step", "5", "--grow-to-d", "8"]);
        code.Should().Be(2);
        stderr.Should().Contain("--grow-to-d 8");
    }
}
