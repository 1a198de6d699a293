namespace Bus.Cli.Infrastructure;

/// <summary>
/// <c>bus train</c>'s progress: a plain line every <c>--progress-every</c> steps (step, loss, dev metric, tok/s over a
/// moving window, ETA from the budget), the start-up time once at the first step, and, where standard output is a
/// terminal, a progress bar redrawn in place between the lines.
/// </summary>
public sealed class TrainingProgressPrinter
{
    private const int BarWidth = 24;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20), Redraw = TimeSpan.FromMilliseconds(250);
    private readonly ThroughputMeter _meter;
    private readonly long _steps, _every;
    private readonly string _metric;
    private readonly TextWriter _out;
    private readonly bool _terminal;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private bool _barShown;

    /// <summary>Creates the printer; the clock starts now (model creation), so the first line can state start-up time.</summary>
    public TrainingProgressPrinter(long steps, long tokensPerStep, long every, string metric, TextWriter? output = null,
        bool? terminal = null)
    {
        (_steps, _every, _metric) = (steps, every, metric);
        _out = output ?? Console.Out;
        _terminal = terminal ?? (output is null && !Console.IsOutputRedirected);
        _meter = new ThroughputMeter(tokensPerStep, Window, () => _clock.Elapsed);
    }

    /// <summary>Called after every step.</summary>
    public void Report(TrainingProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (_meter.Observe(p.Step, p.BudgetFraction))
            WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"first step ({p.Step}): {_meter.FirstStepAt!.Value.TotalSeconds:F2} s after model creation"));
        if (p.Step % _every == 0 || p.Step == _steps) WriteLine(Line(p));
        else if (_terminal && _clock.Elapsed - _lastDraw >= Redraw) DrawBar(p);
    }

    /// <summary>The plain progress line for <paramref name="p"/>.</summary>
    public string Line(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{_steps} loss {p.TrainLoss:F4} dev {_metric} {p.LastRecord?.DevMetric ?? double.NaN:F4} | {Speed()} | ETA {Eta()}");

    /// <summary>Clears the bar (call before printing anything else after training).</summary>
    public void Finish()
    {
        if (_barShown) _out.Write("\r" + new string(' ', Console.IsOutputRedirected ? 0 : Math.Max(0, SafeWidth() - 1)) + "\r");
        _barShown = false;
    }

    private string Speed() => double.IsFinite(_meter.TokensPerSecond)
        ? string.Create(CultureInfo.InvariantCulture, $"{_meter.TokensPerSecond:N0} tok/s")
        : "? tok/s";

    private string Eta() => _meter.Remaining is { } left ? left.ToString("c", CultureInfo.InvariantCulture) : "?";

    private void DrawBar(TrainingProgress p)
    {
        _lastDraw = _clock.Elapsed;
        double fraction = Math.Clamp(p.BudgetFraction, 0, 1);
        int filled = (int)Math.Round(fraction * BarWidth);
        string bar = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction:P0} step {p.Step}/{_steps} loss "
                + $"{p.TrainLoss:F4} | {Speed()} | ETA {Eta()}");
        int width = SafeWidth() - 1;
        _out.Write("\r" + (bar.Length > width ? bar[..width] : bar.PadRight(width)));
        _barShown = true;
    }

    private void WriteLine(string line)
    {
        Finish();
        _out.WriteLine(line);
    }

    private static int SafeWidth()
    {
        try { return Console.WindowWidth > 20 ? Console.WindowWidth : 100; }
        catch (IOException) { return 100; }
    }
}
