using Bus.Core.Training.CostModel;

namespace Bus.Core.Tests.Training.CostModel;

public class CostModelTests
{
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 1, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    /// <summary>cost(b, l) = 0.01 b + 0.1 l: bilinear, so interpolation and extrapolation are exact.</summary>
    private static CostTable Linear() => new(12,
        [.. from b in new[] { 16, 32 } from l in new[] { 2, 4 } select new CostTableEntry(b, l, "adamw", false, 0.01 * b + 0.1 * l)]);

    [Fact]
    public void MonotonicityCheckRejectsTheNtngTypoNamingTheEntries()
    {
        // NTNG's BERT table: 7 layers entered as 0.01052 instead of about 0.105.
        var table = new CostTable(128, [
            new(1536, 6, "adamw", false, 0.0920), new(1536, 7, "adamw", false, 0.01052), new(1536, 8, "adamw", false, 0.1178)]);
        var act = () => new CalibratedCostModel(table);
        act.Should().Throw<InvalidDataException>().WithMessage("*layers=6: 0.092 s > layers=7: 0.01052 s*");
        var batch = new CostTable(12, [new(8, 1, null, true, 0.2), new(16, 1, null, true, 0.1)]);
        var b = () => batch.Validate();
        b.Should().Throw<InvalidDataException>().WithMessage("*batch=8: 0.2 s > batch=16: 0.1 s*");
        new CalibratedCostModel(table, requireMonotone: false).Table.Should().BeSameAs(table);
    }

    [Fact]
    public void IncompleteGridsAndBadCostsAreRejected()
    {
        var missing = new CostTable(12, [new(16, 1, "adamw", false, 0.1), new(32, 2, "adamw", false, 0.3)]);
        var a = () => missing.Validate();
        a.Should().Throw<InvalidDataException>().WithMessage("*missing entry*batch=16 layers=2*");
        var negative = new CostTable(12, [new(16, 1, "adamw", false, -1)]);
        var n = () => negative.Validate();
        n.Should().Throw<InvalidDataException>().WithMessage("*not positive*");
        var empty = () => new CostTable(12, []).Validate();
        empty.Should().Throw<InvalidDataException>();
    }

    [Theory]
    [InlineData(16, 2, 0.36)]
    [InlineData(24, 3, 0.54)]
    [InlineData(32, 4, 0.72)]
    [InlineData(64, 4, 1.04)]
    [InlineData(8, 1, 0.18)]
    [InlineData(16, 0, 0.16)]
    public void InterpolatesBilinearlyAndExtrapolatesLinearly(int batch, int layers, double expected)
    {
        var model = new CalibratedCostModel(Linear());
        model.ReferenceSeconds(new StepCost(batch, 12, layers, false, "adamw")).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void ScalesWithSequenceLengthAndNamesAMissingOptimizer()
    {
        var model = new CalibratedCostModel(Linear());
        model.ReferenceSeconds(new StepCost(16, 24, 2, false, "adamw")).Should().BeApproximately(0.72, 1e-12);
        var lion = () => model.ReferenceSeconds(new StepCost(16, 12, 2, false, "lion"));
        lion.Should().Throw<InvalidOperationException>().WithMessage("*'lion'*adamw*");
        var forward = () => model.ReferenceSeconds(new StepCost(16, 12, 2, true, null));
        forward.Should().Throw<InvalidOperationException>().WithMessage("*forward-only*");
    }

    [Fact]
    public void JsonRoundTripKeepsEveryEntry()
    {
        var table = new CostTable(12, [.. Linear().Entries, new(16, 2, null, true, 0.05), new(16, 4, null, true, 0.08),
            new(32, 2, null, true, 0.09), new(32, 4, null, true, 0.15)], "hand-made");
        var back = CostTable.FromJson(table.ToJson());
        back.SequenceLength.Should().Be(12);
        back.Reference.Should().Be("hand-made");
        back.Entries.Should().Equal(table.Entries);
        var path = Path.Combine(Path.GetTempPath(), $"cost-{Guid.NewGuid():N}.json");
        try
        {
            table.Save(path);
            CostTable.Load(path).Entries.Should().Equal(table.Entries);
        }
        finally { File.Delete(path); }
        var bad = () => CostTable.FromJson("{\"sequence_length\": 12}");
        bad.Should().Throw<InvalidDataException>();
        var typo = () => CostTable.FromJson(table.ToJson().Replace("0.15", "0.015"));
        typo.Should().Throw<InvalidDataException>().WithMessage("*batch=32*");
    }

    [Theory]
    [InlineData(1.0, 4)]
    [InlineData(0.9, 4)]
    [InlineData(1.01, 5)]
    public void ReferenceSecondsBudgetStopsAtTheFirstStepReachingIt(double budget, int steps)
    {
        var costs = new CalibratedCostModel(new CostTable(12, [new(32, 1, "adamw", false, 0.25)]));
        using var train = TestData.LetterCounting(256, 12, seed: 1);
        using var dev = TestData.LetterCounting(32, 12, seed: 2);
        var options = new TrainerOptions { BatchSize = 32, Budget = Budget.ReferenceSeconds(budget), CostModel = costs, Seed = 1 };
        var result = new Trainer(options).Fit(GrowableTransformer.Create(Config, 1), train, dev, SequenceObjective.TokenClassification);
        using (result.Model)
        {
            result.Meter.Steps.Should().Be(steps);
            result.Meter.ReferenceSeconds.Should().BeApproximately(0.25 * steps, 1e-12);
            result.Final.ReferenceSeconds.Should().BeApproximately(0.25 * steps, 1e-12);
        }
    }

    [Fact]
    public void ForwardOnlyChargesAddUp()
    {
        var table = new CostTable(12, [new(32, 1, "adamw", false, 0.25), new(64, 1, null, true, 0.125)]);
        using var train = TestData.LetterCounting(256, 12, seed: 1);
        using var dev = TestData.LetterCounting(32, 12, seed: 2);
        var options = new TrainerOptions { BatchSize = 32, Budget = Budget.Steps(5), CostModel = new CalibratedCostModel(table), Seed = 1 };
        var result = new Trainer(options, selector: new ScoreTwiceSelector()).Fit(GrowableTransformer.Create(Config, 1), train, dev, SequenceObjective.TokenClassification);
        using (result.Model)
        {
            result.Meter.ForwardOnlySamples.Should().Be(5 * 64);
            double forwardOnly = 5 * 0.125;
            result.Meter.ReferenceSeconds.Should().BeApproximately(5 * 0.25 + forwardOnly, 1e-12);
            result.Meter.ReferenceSeconds.Should().BeGreaterThanOrEqualTo(forwardOnly);
        }
    }

    [Fact]
    public void CalibrationSmokeGivesPositiveCostsThatRoundTrip()
    {
        var table = CostTableCalibrator.Calibrate(Config, [2], [1], [new AdamWFactory()], repeats: 1, new CostCalibrationOptions { Warmup = 0, SequenceLength = 8 });
        table.SequenceLength.Should().Be(8);
        table.Entries.Should().HaveCount(2);
        table.Entries.Should().OnlyContain(e => e.Seconds > 0 && double.IsFinite(e.Seconds));
        table.Entries.Should().ContainSingle(e => e.ForwardOnly && e.Optimizer == null);
        table.Entries.Should().ContainSingle(e => !e.ForwardOnly && e.Optimizer == "adamw");
        new CalibratedCostModel(table).ReferenceSeconds(new StepCost(2, 8, 1, false, "adamw")).Should().BePositive();
        CostTable.FromJson(table.ToJson()).Entries.Should().Equal(table.Entries);
        var bad = () => CostTableCalibrator.Calibrate(Config, [0], [1], [new AdamWFactory()], 1);
        bad.Should().Throw<ArgumentException>().Where(e => e.ParamName == "batchSizes" && e.Message.Contains('0'));
    }

    /// <summary>Scores twice the batch (forward-only) and keeps the first half: a stand-in for a batch selector.</summary>
    private sealed class ScoreTwiceSelector : IBatchSelector
    {
        public string Name => "score-twice";
        public int CandidateCount(int batchSize) => 2 * batchSize;
        public void Prepare(ITrainingData train, ITrainingObjective objective) { }
        public SelectedBatch? Select(CandidateBatch candidates, SelectionContext context) =>
            new(candidates.Inputs.narrow(0, 0, context.BatchSize), candidates.Targets.narrow(0, 0, context.BatchSize), candidates.Inputs.shape[0]);
    }
}
