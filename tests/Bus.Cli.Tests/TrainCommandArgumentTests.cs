namespace Bus.Cli.Tests;

/// <summary><c>bus train</c> rejects bad arguments with exit code 2 and a message naming the option and its value.</summary>
public sealed class TrainCommandArgumentTests
{
    /// <summary>Option -> a bad value for it.</summary>
    private static readonly Dictionary<string, string> BadValues = new()
    {
        ["--d"] = "0",
        ["--heads"] = "3",
        ["--steps"] = "-5",
        ["--lr"] = "NaN",
        ["--dropout"] = "1.5",
        ["--checkpoint-every"] = "0",
        ["--optimizer"] = "sgd",
        ["--batch"] = "100000",
    };

    public static TheoryData<string> BadOptions => new(BadValues.Keys);

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadValueExitsWithTwoNamingOptionAndValue(string option)
    {
        string value = BadValues[option];
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
