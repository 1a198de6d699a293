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

    [Theory]
    [InlineData("positive int", "n", "0")]
    [InlineData("positive double", "x", "NaN")]
    [InlineData("non-negative int", "n", "-1")]
    [InlineData("non-negative double", "x", "Infinity")]
    [InlineData("int range", "n", "5")]
    [InlineData("open lower bound", "x", "0")]
    [InlineData("open upper bound", "x", "1")]
    [InlineData("enum", "clock", "7")]
    public void InvalidValuesThrowNamingTheParameterAndTheValue(string rule, string name, string value)
    {
        Action act = rule switch
        {
            "positive int" => () => Guard.Positive(0, name),
            "positive double" => () => Guard.Positive(double.NaN, name),
            "non-negative int" => () => Guard.NonNegative(-1, name),
            "non-negative double" => () => Guard.NonNegative(double.PositiveInfinity, name),
            "int range" => () => Guard.InRange(5, 1, 4, name),
            "open lower bound" => () => Guard.InRange(0.0, 0, 1, name, minExclusive: true),
            "open upper bound" => () => Guard.InRange(1.0, 0, 1, name, maxExclusive: true),
            _ => () => Guard.Defined((PldClock)7, name),
        };
        var e = act.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(name);
        e.Message.Should().Contain(name).And.Contain(value);
    }

    [Fact]
    public void RangeMessagesShowWhichBoundsAreOpen()
    {
        var act = () => Guard.InRange(0.0, 0, 0.5, "ValidationFraction", minExclusive: true);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ValidationFraction must be in (0, 0.5], got 0.*");
    }
}
