namespace Bus.Experiments.Tests.Statistics;

public class SampleStatisticsTests
{
    // Reference quantiles from standard t tables.
    [Theory]
    [InlineData(1, 12.706205)]
    [InlineData(4, 2.776445)]
    [InlineData(10, 2.228139)]
    [InlineData(30, 2.042272)]
    public void QuantileMatchesTables(double df, double expected) =>
        StudentT.Quantile(0.975, df).Should().BeApproximately(expected, 1e-5);

    [Fact]
    public void CdfOfCauchyIsClosedForm()
    {
        // df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/pi.
        foreach (double t in new[] { -3.0, -0.5, 0, 0.7, 2.5 })
            StudentT.Cdf(t, 1).Should().BeApproximately(0.5 + Math.Atan(t) / Math.PI, 1e-10);
    }

    [Fact]
    public void SummaryByHand()
    {
        // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, sample variance 32/7.
        var s = SampleSummary.Of([2, 4, 4, 4, 5, 5, 7, 9]);
        s.Mean.Should().Be(5);
        s.StandardDeviation.Should().BeApproximately(Math.Sqrt(32.0 / 7), 1e-12);
        double half = 2.364624 * Math.Sqrt(32.0 / 7) / Math.Sqrt(8); // t(0.975, 7) = 2.364624
        s.Ci95Low.Should().BeApproximately(5 - half, 1e-5);
        s.Ci95High.Should().BeApproximately(5 + half, 1e-5);
    }

    [Fact]
    public void AnAccuracyIntervalStaysInsideZeroToOne()
    {
        // [0.911, 0.979, 0.999]: mean 0.963, sd 0.046130 by hand; t(0.975, 2) = 4.302653 -> half 0.114594, so the
        // t interval [0.848, 1.078] reads above 100%; bounded, its top is 1 and its bottom unchanged.
        double[] accuracy = [0.911, 0.979, 0.999];
        var t = SampleSummary.Of(accuracy);
        t.Ci95High.Should().BeGreaterThan(1);
        var bounded = SampleSummary.OfMetric(accuracy, isAccuracy: true);
        bounded.Mean.Should().BeApproximately(0.963, 1e-12);
        bounded.Ci95High.Should().Be(1);
        bounded.Ci95Low.Should().BeApproximately(0.963 - 4.302653 * 0.0461302 / Math.Sqrt(3), 1e-5);
        SampleSummary.OfMetric(accuracy, isAccuracy: false).Should().Be(t);
        FluentActions.Invoking(() => SampleSummary.OfBounded(accuracy, 1, 0)).Should().Throw<ArgumentException>().WithParameterName("lower");
    }

    [Fact]
    public void WelchByHand()
    {
        // a = [1,2,3,4,5] (mean 3, var 2.5), b = [2,4,6,8,10] (mean 6, var 10):
        // t = -3 / sqrt(0.5 + 2) = -1.897367; df = 2.5^2 / (0.25/4 + 4/4) = 5.882353.
        var w = WelchTTest.Compare([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
        w.T.Should().BeApproximately(-1.897367, 1e-6);
        w.DegreesOfFreedom.Should().BeApproximately(5.882353, 1e-6);
        // Reference p: Simpson integration of the t density from |t| to 2000 (200,000 panels), doubled.
        w.PValue.Should().BeApproximately(0.1075311949, 1e-8);
    }

    [Fact]
    public void WelchRejectsTinySamples()
    {
        var act = () => WelchTTest.Compare([1], [1, 2]);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("a");
    }
}
