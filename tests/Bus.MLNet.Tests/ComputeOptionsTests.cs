namespace Bus.MLNet.Tests;

/// <summary>BusTrainerOptions.Precision and Recompute reach the trainer of the ML.NET estimators, also across growth.</summary>
public sealed class ComputeOptionsTests
{
    private static IReadOnlyList<MetricsRecord> Fit(Precision precision, bool recompute)
    {
        var ml = new MLContext(1);
        var options = new BusTrainerOptions
        {
            Model = BusTrainerOptions.DefaultModel with { MaxLength = 10, DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, Dropout = 0.1 },
            StartDModel = 8, GrowthEpoch = 1, Epochs = 2, BatchSize = 8, Seed = 1, Precision = precision, Recompute = recompute, EvaluationsPerEpoch = 2,
        };
        string text = BuiltInCorpus.BrownSlice();
        var windows = Enumerable.Range(0, 40).Select(w =>
        {
            string window = text.Substring(w * 10, 10);
            return new PerCharacterPipelineTests.Window { Text = window, Labels = LetterCounting.Labels(window).Select(l => (float)l).ToArray() };
        }).ToList();
        var model = ml.Transforms.BusPerCharacter(options: options).Fit(ml.Data.LoadFromEnumerable(windows));
        return model.History;
    }

    [Fact]
    public void Bf16ChangesTheNumbersSlightlyAndRecomputeNotAtAll()
    {
        var fp32 = Fit(Precision.Fp32, recompute: false);
        var recomputed = Fit(Precision.Fp32, recompute: true);
        var bf16 = Fit(Precision.Bf16, recompute: true);
        recomputed.Select(r => r.DevLoss).Should().Equal(fp32.Select(r => r.DevLoss), "recompute gives the same gradients bit for bit");
        bf16.Select(r => r.DevLoss).Should().NotEqual(fp32.Select(r => r.DevLoss), "bf16 compute rounds differently, so the option reached the trainer");
        bf16[^1].DModel.Should().Be(16, "the run grew");
        foreach (var (a, b) in fp32.Zip(bf16))
            Math.Abs(b.DevLoss - a.DevLoss).Should().BeLessThan(0.05 * a.DevLoss, $"step {a.Step}: bf16 stays near fp32");
    }
}
