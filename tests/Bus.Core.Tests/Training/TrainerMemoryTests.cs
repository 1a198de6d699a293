using System.Diagnostics;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using TorchSharp;

namespace Bus.Core.Tests.Training;

public class TrainerMemoryTests
{
    [Fact]
    public void TwoThousandStepsDoNotGrowManagedOrNativeMemory()
    {
        using var train = TestData.LetterCounting(256, 12, seed: 1);
        using var dev = TestData.LetterCounting(64, 12, seed: 2);
        var probe = new MemoryProbe(warmupStep: 200, finalStep: 2000);
        var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(2000), EvaluationsPerEpoch = 1, Seed = 3 };
        var model = GrowableTransformer.Create(new TransformerConfig { DModel = 16, FeedForwardSize = 32, MaxLength = 12 }, 3);
        var result = new Trainer(options, algorithms: [probe]).Fit(model, train, dev, SequenceObjective.Classification);
        result.Model.Dispose();

        result.Meter.Steps.Should().Be(2000);
        probe.LiveTensors[1].Should().Be(probe.LiveTensors[0], "every step's tensors are disposed by its scope");
        (probe.Managed[1] - probe.Managed[0]).Should().BeLessThan(4L << 20, "managed heap after GC must stay flat");
        (probe.Rss[1] - probe.Rss[0]).Should().BeLessThan(32L << 20, "native memory (RSS) must stay flat");
    }

    private sealed class MemoryProbe(long warmupStep, long finalStep) : TrainingCallback
    {
        public long[] LiveTensors { get; } = new long[2];
        public long[] Managed { get; } = new long[2];
        public long[] Rss { get; } = new long[2];

        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e != TrainingEvent.StepEnd) return;
            int slot = state.Meter.Steps == warmupStep ? 0 : state.Meter.Steps == finalStep ? 1 : -1;
            if (slot < 0) return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            LiveTensors[slot] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            Managed[slot] = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            Rss[slot] = process.WorkingSet64;
        }
    }
}
