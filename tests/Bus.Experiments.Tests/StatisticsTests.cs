namespace Bus.Experiments.Tests;

/// <summary>Cells carry the right statistics: Welch against the baseline, delta, time-to-target, end-to-end wiring.</summary>
public sealed class StatisticsTests
{
    private static ComparisonRun Run(string method, long seed, double metric, params (long Step, double Metric)[] history) =>
        new(method, 10, seed, metric, 1.0, 10, 10, 9, 10, 0, 0, 0, [],
            history.Select(h => new MetricsRecord(h.Step, 0, 0, 0, h.Metric, 0, 0, 0, 0, 16, 2)).ToList(), []);

    [Fact]
    public void CellsCompareEachMethodWithTheBaselineAtTheSameBudget()
    {
        var runs = new List<ComparisonRun>
        {
            Run("baseline", 0, 0.60, (5, 0.5), (10, 0.60)), Run("baseline", 1, 0.62, (5, 0.55), (10, 0.62)),
            Run("lion", 0, 0.70, (5, 0.61), (10, 0.70)), Run("lion", 1, 0.50, (5, 0.40), (10, 0.50)),
        };

        var cells = EqualBudgetComparison.Summarise(runs, [10], ["baseline", "lion"], higherIsBetter: true, BudgetUnit.Steps);

        cells.Should().HaveCount(2);
        cells[0].VersusBaseline.Should().BeNull();
        cells[0].ReachedTarget.Should().Be(1, "only seed 1 reaches the baseline mean 0.61");
        cells[0].MeanTimeToTargetFraction.Should().Be(1.0);
        var lion = cells[1];
        lion.Metric.Mean.Should().BeApproximately(0.60, 1e-12);
        lion.DeltaVsBaseline.Should().BeApproximately(-0.01, 1e-12);
        lion.VersusBaseline.Should().Be(WelchTTest.Compare([0.70, 0.50], [0.60, 0.62]));
        lion.VersusBaseline!.PValue.Should().BeInRange(0, 1);
        lion.ReachedTarget.Should().Be(1, "seed 0 reaches 0.61 at step 5 of 10");
        lion.MeanTimeToTargetFraction.Should().Be(0.5);
    }

    [Fact]
    public void TimeToTargetIncludesChargedSetupAndFollowsTheMetricDirection()
    {
        var run = Run("rho-loss", 0, 1.5, (2, 2.0), (4, 1.4), (6, 1.3)) with
        {
            Setup = [new SetupCost("il", true, 2, 2, 0, 0, 0)],
        };

        EqualBudgetComparison.TimeToTarget(run, 1.45, higherIsBetter: false, BudgetUnit.Steps).Should().Be(0.6, "(2 charged + 4 steps) / 10");
        EqualBudgetComparison.TimeToTarget(run, 1.0, higherIsBetter: false, BudgetUnit.Steps).Should().BeNull();
    }

    [Fact]
    public void AFullComparisonReportsPValuesWithTwoSeeds()
    {
        var options = TestData.Options(methods: ["baseline", "lion", "bus-identity"]) with
        {
            Seeds = 2, Budgets = [6, 3], MaxWindows = 600, SequenceLength = 12,
        };

        var result = EqualBudgetComparison.Run(options, BuiltInCorpus.BrownSlice());

        result.Runs.Should().HaveCount(2 * 2 * 3);
        result.Cells.Select(c => (c.Budget, c.Method)).Should().Equal((3, "baseline"), (3, "lion"), (3, "bus-identity"), (6, "baseline"), (6, "lion"), (6, "bus-identity"));
        foreach (var cell in result.Cells)
        {
            cell.Metric.Count.Should().Be(2);
            cell.Metric.Ci95Low.Should().BeLessThanOrEqualTo(cell.Metric.Mean);
            cell.Metric.Ci95High.Should().BeGreaterThanOrEqualTo(cell.Metric.Mean);
            cell.MeanSteps.Should().Be(cell.Budget);
            if (cell.Method == "baseline") cell.VersusBaseline.Should().BeNull();
            else cell.VersusBaseline.Should().NotBeNull();
        }
        result.Methods.Select(m => m.Name).Should().Equal("baseline", "lion", "bus-identity");
        result.Methods[1].Description.Should().Contain("0.000333").And.Contain("0.1");
        result.CostTables.Should().BeEmpty("a step budget needs no calibration");
    }

    [Fact]
    public void RhoLossHoldoutSplitIsDisjointAndComplete()
    {
        using var data = TestData.LetterCounting(50, seed: 4);
        var (holdout, rest) = RhoLossMethod.Split(data, 0.2);
        using (holdout)
        using (rest)
        {
            holdout.Count.Should().Be(10);
            rest.Count.Should().Be(40);
            using var expected = data.Inputs.index_select(0, TorchSharp.torch.tensor(new long[] { 0, 5, 10 }));
            holdout.Inputs.narrow(0, 0, 3).contiguous().data<long>().ToArray().Should().Equal(expected.data<long>().ToArray());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1.5)]
    [InlineData(double.NaN)]
    public void OptionsRejectBadBudgetsNamingTheValue(double budget)
    {
        var act = () => new ComparisonOptions { Budgets = [10, budget] };

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Budgets");
    }

    [Fact]
    public void OptionsRejectAnEpochUnitAndBadLionDivisors()
    {
        new Action(() => _ = new ComparisonOptions { Unit = BudgetUnit.Epochs }).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Unit");
        new Action(() => _ = new ComparisonOptions { LionLrDivisor = 0.5 }).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0.5*");
    }
}

/// <summary>The monotone repair of noisy calibrations, against a hand-computed table.</summary>
public sealed class CalibrationEnvelopeTests
{
    [Fact]
    public void EnvelopeRaisesOnlyEntriesThatUndercutFewerLayersOrSmallerBatches()
    {
        // adamw: (b32,L1)=1, (b32,L2)=0.8 -> raised to 1; (b128,L1)=3, (b128,L2)=5 stays. Forward-only group is separate.
        CostTableEntry[] entries =
        [
            new(32, 1, "adamw", false, 1.0), new(32, 2, "adamw", false, 0.8), new(128, 1, "adamw", false, 3.0), new(128, 2, "adamw", false, 5.0),
            new(32, 1, null, true, 0.5), new(32, 2, null, true, 0.6),
        ];

        var (fixedEntries, raised) = ComparisonCalibration.Envelope(entries);

        raised.Should().Be(1);
        fixedEntries.Select(e => e.Seconds).Should().Equal(1.0, 1.0, 3.0, 5.0, 0.5, 0.6);
        new CostTable(12, fixedEntries).Validate().Should().NotBeNull();
    }
}
