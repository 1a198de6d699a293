namespace Bus.Core.Tests.Training;

/// <summary>
/// A long run must not grow memory. RSS moves in steps of a few MB while the native allocator's heap settles (here:
/// +8 MB over the first 2,000 steps, then flat within ±5 MB up to 20,000 steps; another machine measured +38..+42 MB
/// between steps 200 and 2,000), so one difference of two samples cannot tell a leak from that noise. A leak grows
/// without end: the tests fit a least-squares line to the samples of the second half of the run and bound its slope.
/// </summary>
public class TrainerMemoryTests
{
    private const int Steps = 4000, SampleEvery = 50;

    /// <summary>
    /// RSS slope bound, bytes per step (4 MB per 1,000 steps). Measured here over steps 2,000..4,000: 37-99 bytes per step
    /// under the default, AVX2 and AVX-512 kernels; the 64 KB-per-step leak of the control: 65,800-67,000.
    /// </summary>
    private const double MaxRssSlope = 4096;

    [Fact]
    public void FourThousandStepsDoNotGrowManagedOrNativeMemory()
    {
        var samples = Train(Steps, leakFloatsPerStep: 0);
        var later = samples.Where(s => s.Step > Steps / 2).ToList();

        samples.Select(s => s.LiveTensors).Should().AllBeEquivalentTo(samples[0].LiveTensors, "every step's tensors are disposed by its scope");
        // The managed heap holds the growing metrics history (one record per evaluation, ~8 bytes per step here).
        Slope(later, s => s.Managed).Should().BeLessThan(256, "managed heap after GC must stay flat (bytes per step)");
        Slope(later, s => s.Rss).Should().BeLessThan(MaxRssSlope, $"native memory (RSS) must stay flat (bytes per step); samples (step: MB): {Describe(samples)}");
    }

    [Fact]
    public void ALeakOfSixtyFourKilobytesPerStepExceedsTheRssBoundByFar()
    {
        // The detector's control: the same run with 16,384 floats (64 KB, written) kept alive at every step.
        var samples = Train(1000, leakFloatsPerStep: 16_384);
        Slope(samples.Where(s => s.Step > 500).ToList(), s => s.Rss).Should().BeGreaterThan(8 * MaxRssSlope, Describe(samples));
    }

    private static List<Sample> Train(int steps, int leakFloatsPerStep)
    {
        using var train = TestData.LetterCounting(256, 12, seed: 1);
        using var dev = TestData.LetterCounting(64, 12, seed: 2);
        var probe = new MemoryProbe(SampleEvery, leakFloatsPerStep);
        try
        {
            var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(steps), EvaluationsPerEpoch = 1, Seed = 3 };
            var model = GrowableTransformer.Create(new TransformerConfig { DModel = 16, FeedForwardSize = 32, MaxLength = 12 }, 3);
            var result = new Trainer(options, algorithms: [probe]).Fit(model, train, dev, SequenceObjective.TokenClassification);
            result.Model.Dispose();
            result.Meter.Steps.Should().Be(steps);
            return probe.Samples;
        }
        finally
        {
            foreach (var t in probe.Leaked) t.Dispose();
        }
    }

    /// <summary>Least-squares slope of <paramref name="value"/> over the samples' steps (units per step).</summary>
    private static double Slope(IReadOnlyList<Sample> samples, Func<Sample, long> value)
    {
        double meanX = samples.Average(s => (double)s.Step), meanY = samples.Average(s => (double)value(s));
        double sxy = samples.Sum(s => (s.Step - meanX) * (value(s) - meanY)), sxx = samples.Sum(s => (s.Step - meanX) * (s.Step - meanX));
        return sxy / sxx;
    }

    private static string Describe(IEnumerable<Sample> samples) =>
        string.Join(", ", samples.Where(s => s.Step % 500 == 0).Select(s => FormattableString.Invariant($"{s.Step}: {s.Rss / 1048576.0:F1}")));

    private sealed record Sample(long Step, long LiveTensors, long Managed, long Rss);

    private sealed class MemoryProbe(int every, int leakFloatsPerStep) : TrainingCallback
    {
        public List<Sample> Samples { get; } = [];

        public List<Tensor> Leaked { get; } = [];

        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e != TrainingEvent.StepEnd) return;
            if (leakFloatsPerStep > 0) Leaked.Add(ones(leakFloatsPerStep));
            if (state.Meter.Steps % every != 0) return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long managed = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            Samples.Add(new Sample(state.Meter.Steps, DisposeScopeManager.Statistics.ThreadTotalLiveCount, managed, process.WorkingSet64));
        }
    }
}
