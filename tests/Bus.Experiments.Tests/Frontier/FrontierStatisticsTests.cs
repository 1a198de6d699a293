using Bus.Growth.Schedules;
using Bus.Core.Optimization;

namespace Bus.Experiments.Tests.Frontier;

/// <summary>The frontier study's statistics against values computed by hand.</summary>
public sealed class FrontierStatisticsTests
{
    [Fact]
    public void HolmAdjustsAscendingPValuesByTheirStepDownFactors()
    {
        // m = 4: sorted 0.01, 0.02, 0.03, 0.04 -> 4*0.01 = 0.04, 3*0.02 = 0.06, 2*0.03 = 0.06, 1*0.04 = 0.04 -> running max 0.06.
        var adjusted = Holm.Adjust([0.03, 0.01, 0.04, 0.02]);
        adjusted.Should().Equal([0.06, 0.04, 0.06, 0.06], (a, b) => Math.Abs(a - b) < 1e-12);
        Holm.Adjust([0.5, double.NaN, 0.9]).Should().Equal([1.0, double.NaN, 1.0], (a, b) => a.Equals(b) || Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void QuantileInterpolatesLikeRType7()
    {
        double[] sorted = [1, 2, 3, 4, 5];
        Bootstrap.Quantile(sorted, 0.025).Should().BeApproximately(1.1, 1e-12);  // h = 4 * 0.025 = 0.1
        Bootstrap.Quantile(sorted, 0.975).Should().BeApproximately(4.9, 1e-12);
        Bootstrap.Quantile(sorted, 0.5).Should().Be(3);
    }

    [Fact]
    public void BootstrapOfAConstantGroupIsThatConstantAndIsSeeded()
    {
        IReadOnlyList<IReadOnlyList<double>> groups = [new[] { 2.0, 2.0, 2.0 }, new[] { 1.0, 3.0 }];
        var r = Bootstrap.Replicates(groups, g => g[0].Average(), 200);
        r.Should().OnlyContain(v => v == 2.0);
        var a = Bootstrap.Replicates(groups, g => g[1].Average(), 200, seed: 7);
        var b = Bootstrap.Replicates(groups, g => g[1].Average(), 200, seed: 7);
        a.Should().Equal(b);
        a.Should().OnlyContain(v => v == 1 || v == 2 || v == 3, "the mean of two draws from {1, 3}");
    }

    [Fact]
    public void CrossingInterpolatesBetweenTheLastPointAboveAndTheFirstBelow()
    {
        var curve = new List<(double, double)> { (10, 3.0), (20, 2.5), (30, 2.0) };
        CurveCrossing.FirstAtOrBelow(curve, 2.25).Should().BeApproximately(25, 1e-12);
        CurveCrossing.FirstAtOrBelow(curve, 3.5).Should().Be(10);
        CurveCrossing.FirstAtOrBelow(curve, 1.9).Should().BeNull();
        CurveCrossing.At(curve, 15).Should().BeApproximately(2.75, 1e-12);
        CurveCrossing.At(curve, 40).Should().Be(2.0);
    }

    [Fact]
    public void ScalingLawFitRecoversTheLawThatMadeItsPoints()
    {
        var truth = new ScalingLawFit(1.2, 40, 0.5, 300, 0.4, 0);
        var points = (from n in new[] { 1e4, 3e4, 1e5, 3e5 } from d in new[] { 1e5, 1e6, 1e7 } select (n, d, truth.Predict(n, d))).ToList();
        var fit = ScalingLawFit.Fit(points)!;
        fit.Alpha.Should().BeApproximately(0.5, 0.011);
        fit.Beta.Should().BeApproximately(0.4, 0.011);
        fit.E.Should().BeApproximately(1.2, 0.05);
        fit.Rmse.Should().BeLessThan(1e-3);
    }

    [Fact]
    public void GStackRuleMatchesTheFormulaAtSevenBillionParameters()
    {
        // log10 d = 0.88 * log10(7e9) + 163.27 / log10(1e22) - 5.74 = 8.6637 + 7.4214 - 5.74 = 10.3451 (by hand).
        GStackTiming.GrowthTokens(7e9, 1e22).Should().BeApproximately(Math.Pow(10, 10.3451), Math.Pow(10, 10.3451) * 1e-3);
        var (fraction, raw) = GStackTiming.Fraction(5e4, 1e6, 0.05, 0.5);
        raw.Should().BeGreaterThan(1, "the rule asks for more tokens than a tiny run has");
        fraction.Should().Be(0.5);
    }

    [Fact]
    public void PostGrowthScalesFollowTheirDefinitions()
    {
        var schedule = new LearningRateSchedule { WarmupFraction = 0.05 };
        // Re-warm-up over 0.05 after growth at 0.25: half-way at 0.275.
        PostGrowthLearningRate.Scale(PostGrowthSchedule.Rewarm, schedule, 0.25, 0.275).Should().BeApproximately(0.5, 1e-12);
        PostGrowthLearningRate.Scale(PostGrowthSchedule.Rewarm, schedule, 0.25, 0.4).Should().Be(1);
        // LEMON: the product with the base multiplier is (1 - f) / (1 - g): 1 at the growth, 0.5 half-way to the end.
        foreach (double f in new[] { 0.25, 0.625, 0.9 })
            (PostGrowthLearningRate.Scale(PostGrowthSchedule.Lemon, schedule, 0.25, f) * schedule.Multiplier(f)).Should().BeApproximately((1 - f) / 0.75, 1e-12);
        PostGrowthLearningRate.Scale(PostGrowthSchedule.Continue, schedule, 0.25, 0.5).Should().Be(1);
        PostGrowthLearningRate.Scale(PostGrowthSchedule.Lemon, schedule, 0.25, 0.1).Should().Be(1, "nothing changes before the growth");
    }

    [Fact]
    public void OptionsRejectBadValuesNamingTheParameter()
    {
        var act = () => FrontierOptions.Tiny with { BudgetFractions = [0.5, 0.25, 1] };
        act.Should().Throw<ArgumentException>().WithParameterName("BudgetFractions");
        var rates = () => FrontierOptions.Tiny with { LearningRates = [1e-3] };
        rates.Should().Throw<ArgumentException>().WithParameterName("LearningRates");
        var scale = () => new FrontierScale("Bad Name", 16, 2, 2).Validate();
        scale.Should().Throw<ArgumentException>().WithParameterName("Name");
        var heads = () => new FrontierScale("x", 16, 2, 3).Validate();
        heads.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Heads");
        FrontierArms.ParseGrowth("stack-depth@gstack+lemon").Should().Be(("stack-depth", "gstack", PostGrowthSchedule.Lemon));
        var arm = () => FrontierArms.ParseGrowth("stack-depth@0.25+fast");
        arm.Should().Throw<ArgumentException>().WithMessage("*fast*");
    }
}
