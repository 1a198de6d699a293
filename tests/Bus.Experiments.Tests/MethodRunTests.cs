namespace Bus.Experiments.Tests;

/// <summary>Every method builds and runs at a tiny size, spends exactly its equal budget, and is deterministic.</summary>
public sealed class MethodRunTests : IDisposable
{
    private readonly Bus.Core.Data.SequenceDataset _train = TestData.LetterCounting(400, seed: 1);
    private readonly Bus.Core.Data.SequenceDataset _dev = TestData.LetterCounting(64, seed: 2);

    public void Dispose()
    {
        _train.Dispose();
        _dev.Dispose();
    }

    private ComparisonRun Run(string method, ComparisonOptions options, double budget, long seed = 0, IStepCostModel? cost = null) =>
        EqualBudgetComparison.RunOne(MethodCatalog.Parse(method), options, TestData.Full(options), _train, _dev, TestData.Objective, budget, seed, cost ?? options.CostModel);

    [Theory]
    [InlineData("baseline")]
    [InlineData("bus-identity")]
    [InlineData("rho-loss")]
    [InlineData("rho-loss-free")]
    [InlineData("selective-backprop")]
    [InlineData("lion")]
    [InlineData("layer-drop")]
    [InlineData("layer-drop-steps")]
    [InlineData("bus-identity+lion")]
    [InlineData("layer-drop+lion")]
    [InlineData("rho-loss+bus-identity")]
    public void EveryMethodRunsAndStopsAtTheFirstStepReachingItsBudget(string method)
    {
        var options = TestData.Options();
        var run = Run(method, options, 8);

        run.Method.Should().Be(method);
        double.IsFinite(run.FinalMetric).Should().BeTrue();
        run.FinalMetric.Should().BeInRange(0, 1);
        run.Spent.Should().BeGreaterThanOrEqualTo(8, "every method spends at least the equal budget");
        run.SpentBeforeLastStep.Should().BeLessThan(run.MainBudget, "the run stops at the first step where spent >= budget");
        double charged = run.Setup.Where(s => s.Charged).Sum(s => s.Spent);
        (run.MainBudget + charged).Should().BeApproximately(8, 1e-9);
        run.History[^1].DModel.Should().Be(16, "every method ends at the full width");
        run.History[^1].Layers.Should().Be(2);
    }

    [Fact]
    public void RhoLossChargesItsIlModelToTheBudgetUnlessFree()
    {
        var options = TestData.Options();
        var charged = Run("rho-loss", options, 8);
        var free = Run("rho-loss-free", options, 8);

        charged.Setup.Should().ContainSingle().Which.Charged.Should().BeTrue();
        charged.Setup[0].Steps.Should().Be(2, "the IL model trains for 25% of an 8-step budget");
        charged.MainBudget.Should().Be(6);
        charged.Steps.Should().Be(6);
        free.Setup.Should().ContainSingle().Which.Charged.Should().BeFalse();
        free.MainBudget.Should().Be(8);
        free.Steps.Should().Be(8);
        free.Spent.Should().Be(8);
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("bus-identity")]
    [InlineData("selective-backprop")]
    [InlineData("layer-drop")]
    [InlineData("rho-loss")]
    public void FlopBudgetsAreSpentExactlyUpToOneStep(string method)
    {
        var options = TestData.Options(BudgetUnit.Flops);
        double budget = 3e8;
        var run = Run(method, options, budget);

        run.Spent.Should().BeGreaterThanOrEqualTo(budget);
        run.SpentBeforeLastStep.Should().BeLessThan(run.MainBudget);
    }

    [Fact]
    public void ReferenceTimeChargesTheSmallModelItsOwnWidthCost()
    {
        // d=8 steps cost 1 s (2 layers x 0.5), d=16 steps 2 s. Baseline: 10 steps of 2 s = 20 s.
        // bus-identity: d=8 until 25% (5 s: 5 steps), then d=16: 8 steps reach 21 s >= 20 s (19 s before the last).
        var cost = new WidthKeyedCostModel(new Dictionary<int, CalibratedCostModel> { [8] = TestData.Table(0.5, 8), [16] = TestData.Table(1.0, 8) });
        var options = TestData.Options(BudgetUnit.ReferenceSeconds) with { CostModel = cost };

        var baseline = Run("baseline", options, 20);
        var grown = Run("bus-identity", options, 20);

        baseline.Steps.Should().Be(10);
        baseline.Spent.Should().BeApproximately(20, 1e-9);
        grown.Steps.Should().Be(13);
        grown.Spent.Should().BeApproximately(21, 1e-9);
        grown.SpentBeforeLastStep.Should().BeApproximately(19, 1e-9);
    }

    [Fact]
    public void SelectionForwardsAreChargedInReferenceTime()
    {
        // Selective backprop scores batches of 8 (forward-only 2/3 s) and back-propagates 8 (2 s): every step costs
        // at least 2/3 + 2 s, so a 20 s budget allows at most 7 steps, fewer than the baseline's 10.
        var cost = new WidthKeyedCostModel(new Dictionary<int, CalibratedCostModel> { [8] = TestData.Table(0.5, 8), [16] = TestData.Table(1.0, 8) });
        var options = TestData.Options(BudgetUnit.ReferenceSeconds) with { CostModel = cost };

        var run = Run("selective-backprop", options, 20);

        run.Steps.Should().BeLessThanOrEqualTo(7);
        run.Spent.Should().BeGreaterThanOrEqualTo(20);
    }

    [Theory]
    [InlineData("bus-identity+lion")]
    [InlineData("selective-backprop")]
    [InlineData("rho-loss")]
    [InlineData("layer-drop")]
    public void RunsAreDeterministicUnderASeed(string method)
    {
        var options = TestData.Options();
        var a = Run(method, options, 6, seed: 3);
        var b = Run(method, options, 6, seed: 3);

        b.FinalMetric.Should().Be(a.FinalMetric);
        b.FinalDevLoss.Should().Be(a.FinalDevLoss);
        b.Steps.Should().Be(a.Steps);
        b.Flops.Should().Be(a.Flops);
    }
}
