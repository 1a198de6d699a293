using FluentAssertions;
using Xunit;

namespace Bus.Cli.Tests;

public class ThroughputMeterTests
{
    [Fact]
    public void SpeedAndTimeLeftCountFromTheFirstStepNotFromStartUp()
    {
        // start-up takes 10 s, then each step 0.5 s; 100 steps, 64 tokens per step
        double now = 0;
        var meter = new ThroughputMeter(64, TimeSpan.FromSeconds(60), () => TimeSpan.FromSeconds(now));
        now = 10;
        meter.Observe(1, 0.01).Should().BeTrue();
        meter.TokensPerSecond.Should().Be(double.NaN);
        meter.Remaining.Should().BeNull();
        for (int step = 2; step <= 50; step++)
        {
            now += 0.5;
            meter.Observe(step, step / 100.0).Should().BeFalse();
        }
        // 49 steps in 24.5 s = 2 steps/s = 128 tok/s; 50 steps left at 2 steps/s = 25 s
        meter.FirstStepAt.Should().Be(TimeSpan.FromSeconds(10));
        meter.TokensPerSecond.Should().BeApproximately(128, 1e-9 * 128);
        meter.Remaining.Should().Be(TimeSpan.FromSeconds(25));
    }

    [Fact]
    public void TheRateForgetsStepsOlderThanTheWindow()
    {
        // 10 slow steps (2 s each), then 20 fast ones (0.1 s each); a 1-second window sees only fast ones
        double now = 0;
        var meter = new ThroughputMeter(10, TimeSpan.FromSeconds(1), () => TimeSpan.FromSeconds(now));
        long step = 0;
        for (int i = 0; i < 10; i++) { now += 2; meter.Observe(++step, step / 1000.0); }
        for (int i = 0; i < 20; i++) { now += 0.1; meter.Observe(++step, step / 1000.0); }
        meter.TokensPerSecond.Should().BeApproximately(100, 1e-6 * 100); // 10 steps/s x 10 tokens
        // 970 steps left at 10 steps/s
        meter.Remaining.Should().Be(TimeSpan.FromSeconds(97));
    }

    [Fact]
    public void BadArgumentsAreRefusedNamingTheParameter()
    {
        FluentActions.Invoking(() => new ThroughputMeter(0, TimeSpan.FromSeconds(1))).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("tokensPerStep");
        FluentActions.Invoking(() => new ThroughputMeter(1, TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("window");
    }

    [Fact]
    public void ThePrinterWritesTheStartUpOnceAndPlainLinesWhenNotATerminal()
    {
        var output = new StringWriter();
        var printer = new TrainingProgressPrinter(steps: 6, tokensPerStep: 8, every: 3, metric: "bpc", output, terminal: false);
        for (long step = 1; step <= 6; step++) printer.Report(new TrainingProgress(step, step / 6.0, 2.5, null));
        printer.Finish();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[0].Should().StartWith("first step (1): ");
        lines[1].Should().StartWith("step 3/6 loss 2.5000 dev bpc NaN | ");
        lines[2].Should().StartWith("step 6/6 loss 2.5000").And.Contain("ETA ");
        output.ToString().Should().NotContain("\r");
    }
}
