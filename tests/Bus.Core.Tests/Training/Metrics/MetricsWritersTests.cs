using System.Globalization;
using Bus.Core.Training.Metrics;

namespace Bus.Core.Tests.Training.Metrics;

/// <summary>metrics.csv and the TensorBoard event file of a tiny run, read back independently of the writers.</summary>
[Collection(DeterminismCollection.Name)]
public sealed class MetricsWritersTests : IDisposable
{
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 1, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-metrics-").FullName;

    [Fact]
    public void Crc32CMatchesTheStandardCheckValues()
    {
        // Check value of CRC-32C (Castagnoli) and RFC 3720, appendix B.4: 32 bytes of 0x00 and of 0xFF.
        Crc32C.Compute("123456789"u8).Should().Be(0xE3069283u);
        Crc32C.Compute(new byte[32]).Should().Be(0x8A9136AAu);
        Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()).Should().Be(0x62A8AB43u);
        var odd = Encoding.ASCII.GetBytes("TensorBoard events, 39 bytes of payload");
        Crc32C.Compute(odd).Should().Be(TfEventsReader.Crc(odd));
        Crc32C.Masked(odd).Should().Be(TfEventsReader.MaskedCrc(odd));
    }

    [Fact]
    public void MetricsCsvHasOneRowPerEvaluationWithTheRunsValues()
    {
        string path = Path.Combine(_dir, "run", "metrics.csv");
        var result = Fit(new MetricsCsvWriter(path));
        var lines = File.ReadAllLines(path);
        lines[0].Should().Be("step,epoch,tokens,samples,lr,train_loss,dev_loss,dev_accuracy,elapsed_s,flops,d_model,layers,note");
        lines.Length.Should().Be(4, "evaluations at steps 2, 4 and 6");
        for (int i = 0; i < 3; i++)
        {
            var cells = lines[i + 1].Split(',');
            var record = result.History[i];
            long step = 2 * (i + 1);
            cells[0].Should().Be(step.ToString(CultureInfo.InvariantCulture));
            cells[2].Should().Be((step * 8 * 12).ToString(CultureInfo.InvariantCulture), "tokens = steps x batch 8 x 12 positions");
            cells[3].Should().Be((step * 8).ToString(CultureInfo.InvariantCulture));
            // The last step's rate: linear decay without warm-up, step k runs at fraction (k - 1) / 6.
            Parse(cells[4]).Should().BeApproximately(1e-3 * (1 - (step - 1) / 6.0), 1e-3 * 1e-9);
            Parse(cells[5]).Should().Be(record.TrainLoss);
            Parse(cells[6]).Should().Be(record.DevLoss);
            Parse(cells[7]).Should().Be(record.DevMetric);
            Parse(cells[8]).Should().Be(record.WallClockSeconds);
            cells[10].Should().Be("16");
            cells[11].Should().Be("1");
            cells[12].Should().BeEmpty();
        }
    }

    [Fact]
    public void TheEventFileIsReadableAndHoldsEveryStepAndEvaluation()
    {
        var writer = new TensorBoardWriter(Path.Combine(_dir, "tb"));
        var stepLosses = new StepLosses();
        double start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var result = Fit(writer, stepLosses);
        double end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        Path.GetFileName(writer.FilePath).Should().StartWith("events.out.tfevents.");
        var events = TfEventsReader.Read(writer.FilePath!);
        events[0].FileVersion.Should().Be("brain.Event:2");
        events.Should().OnlyContain(e => e.WallTime >= start - 1 && e.WallTime <= end + 1, "wall time is in seconds since 1970");

        var steps = events.Where(e => e.Values.Any(v => v.Tag == "loss/train_step")).ToList();
        steps.Select(e => e.Step).Should().Equal(1, 2, 3, 4, 5, 6);
        steps.Select(e => e.Values.Single().Value).Should().Equal(stepLosses.Values.Select(v => (float)v));

        var evaluations = events.Where(e => e.Values.Any(v => v.Tag == "loss/dev")).ToList();
        evaluations.Select(e => e.Step).Should().Equal(2, 4, 6);
        for (int i = 0; i < 3; i++)
        {
            var values = evaluations[i].Values.ToDictionary(v => v.Tag, v => v.Value);
            values["loss/train"].Should().Be((float)result.History[i].TrainLoss);
            values["loss/dev"].Should().Be((float)result.History[i].DevLoss);
            values["dev/accuracy"].Should().Be((float)result.History[i].DevMetric);
            values["lr"].Should().BeApproximately((float)(1e-3 * (1 - (2 * i + 1) / 6.0)), 1e-3f * 1e-6f);
        }
    }

    [Fact]
    public void AnEvaluationEveryNStepsCannotBeCombinedWithAFractionCadence()
    {
        FluentActions.Invoking(() => new TrainerOptions { EvaluateEverySteps = 0 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("EvaluateEverySteps");
        FluentActions.Invoking(() => new Trainer(new TrainerOptions { EvaluateEverySteps = 2, EvaluateEveryFraction = 0.5 }))
            .Should().Throw<ArgumentException>().WithMessage("*EvaluateEverySteps and EvaluateEveryFraction*");
    }

    private static TrainingResult Fit(params ITrainingAlgorithm[] algorithms)
    {
        using var train = TestData.LetterCounting(64, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        var options = new TrainerOptions
        {
            BatchSize = 8, Budget = Budget.Steps(6), Seed = 1, EvaluateEverySteps = 2,
            Schedule = new LearningRateSchedule { WarmupFraction = 0 },
        };
        var result = new Trainer(options, algorithms: algorithms)
            .Fit(GrowableTransformer.Create(Config, 1), train, dev, SequenceObjective.TokenClassification);
        result.Module.Dispose();
        return result;
    }

    private static double Parse(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);

    private sealed class StepLosses : TrainingCallback
    {
        public List<double> Values { get; } = [];

        public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.StepEnd) Values.Add(state.LastTrainLoss);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
