namespace Bus.Selection.Tests;

public class SelectiveBackpropTests
{
    private static readonly double[] History = [1, 2, 3, 4];

    [Fact]
    public void StrictPercentilesAndProbabilitiesMatchTheOriginalRepository()
    {
        History.Select(l => SelectiveBackprop.Percentile(History, l, PercentileKind.Strict)).Should().Equal(0, 0.25, 0.5, 0.75);
        SelectiveBackprop.Probabilities(History, History, 3, PercentileKind.Strict).Should().Equal(0, 0.015625, 0.125, 0.421875);
    }

    [Fact]
    public void RankPercentilesMatchScipyPercentileOfScore()
    {
        History.Select(l => SelectiveBackprop.Percentile(History, l, PercentileKind.Rank)).Should().Equal(0.25, 0.5, 0.75, 1.0);
        // scipy.stats.percentileofscore([1, 1, 2], 1, kind='rank') = 50; ([1, 2, 3], 2.5) = 66.67
        SelectiveBackprop.Percentile([1, 1, 2], 1, PercentileKind.Rank).Should().BeApproximately(0.5, 1e-12);
        SelectiveBackprop.Percentile([1, 2, 3], 2.5, PercentileKind.Rank).Should().BeApproximately(2.0 / 3, 1e-12);
        SelectiveBackprop.Probabilities(History, History, 1, PercentileKind.Rank).Should().Equal(0.25, 0.5, 0.75, 1.0);
    }

    [Fact]
    public void HistoryEvictsTheOldestAtMaxLength()
    {
        var history = new LossHistory(1024);
        history.AddRange(Enumerable.Range(0, 1000).Select(i => (double)i));
        history.Count.Should().Be(1000);
        history.AddRange(Enumerable.Range(1000, 30).Select(i => (double)i));
        history.Count.Should().Be(1024);
        history.Values.First().Should().Be(6);
        history.Values.Last().Should().Be(1029);
        new SelectiveBackpropSelector().History.Capacity.Should().Be(1024);
        var bad = () => new SelectiveBackpropOptions { Beta = -1 };
        bad.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Beta" && e.Message.Contains("-1"));
    }

    [Fact]
    public void PrimingSelectsEverythingAndBatchesAreExactlyBatchSize()
    {
        using var data = TestData.LetterCounting(64, 12, seed: 1);
        using var model = GrowableTransformer.Create(TestData.Tiny, 1);
        var selector = new SelectiveBackpropSelector(new SelectiveBackpropOptions { Mode = ScoringMode.Eval });
        selector.Prepare(data, SequenceObjective.TokenClassification);
        var random = new Random(5);
        for (int step = 0; step < 4; step++)
        {
            using var scope = NewDisposeScope();
            var batch = Select(selector, data, model, step * 16, 16, epoch: 0, random)!;
            batch.Should().NotBeNull();
            batch.Inputs.shape[0].Should().Be(16);
            batch.ForwardOnlyExamples.Should().Be(16);
        }
        selector.Kept.Should().Be(64);
        selector.Scored.Should().Be(64);
        selector.History.Count.Should().Be(64); // losses entered the history during priming too

        int returned = 0, nulls = 0;
        for (int call = 0; call < 40; call++)
        {
            using var scope = NewDisposeScope();
            int queuedBefore = selector.Queued;
            long keptBefore = selector.Kept;
            var batch = Select(selector, data, model, (call % 4) * 16, 16, epoch: 1, random);
            if (batch is null) { nulls++; selector.Queued.Should().BeLessThan(16); continue; }
            returned++;
            batch.Inputs.shape[0].Should().Be(16);
            batch.Targets.shape[0].Should().Be(16);
            selector.Queued.Should().Be(queuedBefore + (int)(selector.Kept - keptBefore) - 16);
        }
        returned.Should().BeGreaterThan(0);
        nulls.Should().BeGreaterThan(0);
        selector.Kept.Should().BeLessThan(selector.Scored);
    }

    [Fact]
    public void TheSameSeedReproducesTheSameSelections()
    {
        using var data = TestData.LetterCounting(64, 12, seed: 2);
        using var model = GrowableTransformer.Create(TestData.Tiny, 1);
        List<string> Run(int seed)
        {
            var selector = new SelectiveBackpropSelector(new SelectiveBackpropOptions { PrimingEpochs = 0, Beta = 1, Mode = ScoringMode.Eval });
            selector.Prepare(data, SequenceObjective.TokenClassification);
            var random = new Random(seed);
            var rows = new List<string>();
            for (int call = 0; call < 12; call++)
            {
                using var scope = NewDisposeScope();
                var batch = Select(selector, data, model, (call % 4) * 16, 16, epoch: 0, random);
                rows.Add(batch is null ? "null" : string.Join("|", TestData.Rows(batch.Inputs)));
            }
            return rows;
        }
        Run(3).Should().Equal(Run(3));
        Run(3).Should().NotEqual(Run(4));
    }

    [Fact]
    public void EndToEndPrimesThenSelectsAndChargesEveryScoringForward()
    {
        using var train = TestData.LetterCounting(256, 12, seed: 7);
        using var dev = TestData.LetterCounting(64, 12, seed: 8);
        var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(24), LearningRate = 3e-3, Seed = 1 };
        var selector = new SelectiveBackpropSelector();
        var result = new Trainer(options, selector: selector).Fit(GrowableTransformer.Create(TestData.Tiny, 1), train, dev, SequenceObjective.TokenClassification);
        using (result.Model)
        {
            result.Meter.Steps.Should().Be(24);
            result.Meter.Samples.Should().Be(24 * 16);
            // 16 priming steps score 16 each; the 8 selective steps need several candidate batches each.
            result.Meter.ForwardOnlySamples.Should().Be(selector.Scored);
            selector.Scored.Should().BeGreaterThan(24 * 16);
            (selector.Scored % 16).Should().Be(0);
            selector.Kept.Should().Be(24 * 16 + selector.Queued);
            double.IsFinite(result.Final.DevLoss).Should().BeTrue();
        }
    }

    private static SelectedBatch? Select(SelectiveBackpropSelector selector, SequenceDataset data, GrowableTransformer model, int start, int count, int epoch, Random random)
    {
        var idx = arange(start, start + count, dtype: int64);
        var (x, y) = data.Batch(idx);
        return selector.Select(new CandidateBatch(x, y, idx), new SelectionContext(model, SequenceObjective.TokenClassification, count, 0, epoch, random));
    }
}
