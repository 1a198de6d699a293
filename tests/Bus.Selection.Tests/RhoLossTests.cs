namespace Bus.Selection.Tests;

public class RhoLossTests
{
    [Fact]
    public void ReducibleLossAndTopKMatchTheResearchVector()
    {
        using var train = tensor(new float[] { 2.0f, 1.0f, 3.0f, 0.5f });
        using var il = tensor(new float[] { 1.5f, 0.1f, 2.9f, 0.6f });
        using var red = RhoLoss.ReducibleLoss(train, il);
        red.data<float>().ToArray().Should().BeEquivalentTo(new[] { 0.5f, 0.9f, 0.1f, -0.1f }, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
        using var top = RhoLoss.TopK(red, 2);
        top.data<long>().ToArray().Should().Equal(1, 0);
        using var byLoss = RhoLoss.TopK(train, 2);
        byLoss.data<long>().ToArray().Should().Equal(2, 0); // the noisy point 2 wins on loss alone
    }

    [Theory]
    [InlineData(320, 0.1, 32)]
    [InlineData(5, 0.1, 1)]
    [InlineData(19, 0.1, 1)]
    [InlineData(20, 0.1, 2)]
    [InlineData(10, 1.0, 10)]
    public void SelectedCountIsMaxOneIntFractionTimesCandidates(int candidates, double fraction, int expected) =>
        RhoLoss.SelectedCount(candidates, fraction).Should().Be(expected);

    [Theory]
    [InlineData(32, 0.1, 320)]
    [InlineData(1, 0.1, 10)]
    [InlineData(8, 0.25, 32)]
    [InlineData(7, 0.3, 24)]
    public void CandidateCountIsTheSmallestBigBatchGivingTheBatch(int batch, double fraction, int expected)
    {
        int n = RhoLoss.CandidateCount(batch, fraction);
        n.Should().Be(expected);
        RhoLoss.SelectedCount(n, fraction).Should().Be(batch);
        ((int)(fraction * (n - 1))).Should().BeLessThan(batch);
    }

    [Fact]
    public void BadOptionsAreRejectedWithTheirValue()
    {
        var act = () => new RhoLossOptions { SelectionFraction = 1.5 };
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "SelectionFraction" && e.Message.Contains("1.5"));
        using var s = tensor(new float[] { 1, 2 });
        var k = () => RhoLoss.TopK(s, 3);
        k.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("k");
    }

    [Fact]
    public void IrreducibleLossLookupIsByGlobalIndexAndInvariantToShuffling()
    {
        using var data = TestData.LetterCounting(40, 12, seed: 3);
        // IL dominates the score: example i has IL = 100 * i, so the lowest indices have the largest reducible loss.
        var cache = new IrreducibleLossCache(Enumerable.Range(0, 40).Select(i => 100.0 * i).ToArray(), DatasetFingerprint.Of(data));
        var selector = new RhoLossSelector(cache, new RhoLossOptions { SelectionFraction = 0.25, Mode = ScoringMode.Eval });
        selector.Prepare(data, SequenceObjective.TokenClassification);
        using var model = GrowableTransformer.Create(TestData.Tiny, 1);
        using var expected = data.Slice([0, 1, 2, 3]);
        var wanted = TestData.Rows(expected.Inputs).Order().ToList();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var order = Enumerable.Range(0, 40).Select(i => (long)i).ToArray();
            new Random(seed).Shuffle(order);
            var draw = new long[] { 0, 1, 2, 3 }.Concat(order.Where(i => i > 3).Take(12)).ToArray();
            new Random(seed + 10).Shuffle(draw);
            using var scope = NewDisposeScope();
            var idx = tensor(draw, int64);
            var (x, y) = data.Batch(idx);
            var selected = selector.Select(new CandidateBatch(x, y, idx), new SelectionContext(model, SequenceObjective.TokenClassification, 4, 0, 0, new Random(0)))!;
            selected.ForwardOnlyExamples.Should().Be(16);
            TestData.Rows(selected.Inputs).Order().Should().Equal(wanted);
        }
    }

    [Fact]
    public void ACacheForAnotherDatasetFailsLoudlyNamingBothFingerprints()
    {
        using var data = TestData.LetterCounting(20, 12, seed: 3);
        using var reordered = data.Slice(Enumerable.Range(0, 20).Reverse().Select(i => (long)i).ToArray());
        using var smaller = TestData.LetterCounting(19, 12, seed: 3);
        var cache = new IrreducibleLossCache(new double[20], DatasetFingerprint.Of(data));
        var selector = new RhoLossSelector(cache);
        var ok = () => selector.Prepare(data, SequenceObjective.TokenClassification);
        ok.Should().NotThrow();
        var other = DatasetFingerprint.Of(reordered);
        other.Count.Should().Be(20);
        other.Hash.Should().NotBe(cache.Fingerprint.Hash);
        var act = () => selector.Prepare(reordered, SequenceObjective.TokenClassification);
        act.Should().Throw<InvalidOperationException>()
            .Where(e => e.Message.Contains(cache.Fingerprint.ToString()) && e.Message.Contains(other.ToString()));
        var size = () => selector.Prepare(smaller, SequenceObjective.TokenClassification);
        size.Should().Throw<InvalidOperationException>().WithMessage("*19x12*");
    }

    [Fact]
    public void CacheRoundTripsThroughJson()
    {
        using var data = TestData.LetterCounting(5, 12, seed: 4);
        var cache = new IrreducibleLossCache([0.1, 0.2, 0.3, 0.4, 1.0 / 3], DatasetFingerprint.Of(data));
        var path = Path.Combine(Path.GetTempPath(), $"il-{Guid.NewGuid():N}.json");
        try
        {
            cache.Save(path);
            var loaded = IrreducibleLossCache.Load(path);
            loaded.Fingerprint.Should().Be(cache.Fingerprint);
            loaded.Losses.Should().Equal(cache.Losses);
            File.WriteAllText(path, "{\"Count\":5}");
            var bad = () => IrreducibleLossCache.Load(path);
            bad.Should().Throw<InvalidDataException>();
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void EndToEndTrainsTheIrreducibleModelThenSelectsAndChargesForwardPasses()
    {
        using var holdout = TestData.LetterCounting(192, 12, seed: 5);
        using var holdoutDev = TestData.LetterCounting(64, 12, seed: 6);
        using var train = TestData.LetterCounting(256, 12, seed: 7);
        using var dev = TestData.LetterCounting(64, 12, seed: 8);
        var ilConfig = TestData.Tiny with { Layers = 1 };
        var ilOptions = new TrainerOptions { BatchSize = 32, Budget = Budget.Epochs(4), LearningRate = 3e-3, Seed = 11, EvaluationsPerEpoch = 2 };
        var il = IrreducibleLossTraining.Train(ilConfig, holdout, holdoutDev, SequenceObjective.TokenClassification, ilOptions);
        using (il.Model)
        {
            il.Best.DevLoss.Should().Be(il.Training.History.Min(h => h.DevLoss));
            Trainer.Evaluate(il.Model, holdoutDev, SequenceObjective.TokenClassification).Loss.Should().BeApproximately(il.Best.DevLoss, 1e-4);
        }
        var cache = IrreducibleLossTraining.BuildCache(ilConfig, holdout, holdoutDev, train, SequenceObjective.TokenClassification, ilOptions);
        cache.Count.Should().Be(256);
        cache.Losses.Should().OnlyContain(l => l > 0 && double.IsFinite(l));

        var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(12), LearningRate = 3e-3, Seed = 1 };
        var selector = new RhoLossSelector(cache, new RhoLossOptions { SelectionFraction = 0.25 });
        var result = new Trainer(options, selector: selector).Fit(GrowableTransformer.Create(TestData.Tiny, 1), train, dev, SequenceObjective.TokenClassification);
        using (result.Model)
        {
            result.Meter.Steps.Should().Be(12);
            result.Meter.Samples.Should().Be(12 * 8);
            result.Meter.ForwardOnlySamples.Should().Be(12 * 32);
            result.Final.DevLoss.Should().BeLessThan(result.History[0].DevLoss + 1);
            double.IsFinite(result.Final.DevLoss).Should().BeTrue();
        }
    }
}
