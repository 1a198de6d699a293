using Bus.Testing;

namespace Bus.Core.Tests.Validation;

public class GuardTests
{
    [Fact]
    public void ValidValuesAreReturnedUnchanged()
    {
        Guard.Positive(3, "n").Should().Be(3);
        Guard.Positive(0.5, "x").Should().Be(0.5);
        Guard.NonNegative(0, "n").Should().Be(0);
        Guard.NonNegative(0.0, "x").Should().Be(0.0);
        Guard.InRange(4, 1, 4, "n").Should().Be(4);
        Guard.InRange(1.0, 0, 1, "x", minExclusive: true).Should().Be(1.0);
        Guard.InRange(0.0, 0, 1, "x", maxExclusive: true).Should().Be(0.0);
        Guard.Defined(PldClock.Steps, "clock").Should().Be(PldClock.Steps);
    }

    /// <summary>Rule -> (a call breaking it, the parameter name, the value the message must show).</summary>
    private static readonly BadInputCases Rules = new()
    {
        ["positive int"] = (() => Guard.Positive(0, "n"), "n", "0"),
        ["positive double"] = (() => Guard.Positive(double.NaN, "x"), "x", "NaN"),
        ["non-negative int"] = (() => Guard.NonNegative(-1, "n"), "n", "-1"),
        ["non-negative double"] = (() => Guard.NonNegative(double.PositiveInfinity, "x"), "x", "Infinity"),
        ["int range"] = (() => Guard.InRange(5, 1, 4, "n"), "n", "5"),
        ["open lower bound"] = (() => Guard.InRange(0.0, 0, 1, "x", minExclusive: true), "x", "0"),
        ["open upper bound"] = (() => Guard.InRange(1.0, 0, 1, "x", maxExclusive: true), "x", "1"),
        ["enum"] = (() => Guard.Defined((PldClock)7, "clock"), "clock", "7"),
    };

    public static TheoryData<string> RuleNames => Rules.Names;

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void InvalidValuesThrowNamingTheParameterAndTheValue(string rule) =>
        Rules.AssertThrowsNaming(rule).Should().BeOfType<ArgumentOutOfRangeException>().Which.Message.Should().Contain(Rules[rule].Param);

    [Fact]
    public void RangeMessagesShowWhichBoundsAreOpen()
    {
        var act = () => Guard.InRange(0.0, 0, 0.5, "ValidationFraction", minExclusive: true);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ValidationFraction must be in (0, 0.5], got 0.*");
    }
}
