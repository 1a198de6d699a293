namespace Bus.Cli.Infrastructure;

/// <summary>
/// A run's speed and time left, measured from its first finished step (start-up excluded) over a moving window of
/// recent steps, so a slow first step or a pause fades out instead of skewing the rest of the run.
/// Call <see cref="Observe"/> after every step, printed or not.
/// </summary>
public sealed class ThroughputMeter
{
    private readonly Queue<(double Seconds, long Step, double Fraction)> _window = new();
    private readonly long _tokensPerStep;
    private readonly double _windowSeconds;
    private readonly Func<TimeSpan> _clock;

    /// <summary>Creates a meter.</summary>
    /// <param name="tokensPerStep">Tokens one step trains on (batch x context).</param>
    /// <param name="window">How far back the rate looks; the two newest samples are always kept.</param>
    /// <param name="clock">Elapsed time since the run's start (a stopwatch by default; tests pass their own).</param>
    public ThroughputMeter(long tokensPerStep, TimeSpan window, Func<TimeSpan>? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerStep);
        if (!(window > TimeSpan.Zero)) throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive.");
        _tokensPerStep = tokensPerStep;
        _windowSeconds = window.TotalSeconds;
        if (clock is null)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }
        _clock = clock;
    }

    /// <summary>When the first observed step finished (clock time), or null before it.</summary>
    public TimeSpan? FirstStepAt { get; private set; }

    /// <summary>Records that <paramref name="step"/> finished, with <paramref name="budgetFraction"/> of the budget spent.</summary>
    /// <returns>True for the first observation (the caller may print the start-up time).</returns>
    public bool Observe(long step, double budgetFraction)
    {
        double now = _clock().TotalSeconds;
        bool first = FirstStepAt is null;
        if (first) FirstStepAt = TimeSpan.FromSeconds(now);
        _window.Enqueue((now, step, budgetFraction));
        while (_window.Count > 2 && now - _window.Peek().Seconds > _windowSeconds) _window.Dequeue();
        return first;
    }

    /// <summary>Tokens per second over the window; NaN until two steps were observed.</summary>
    public double TokensPerSecond => Rate(s => s.Step) * _tokensPerStep;

    /// <summary>Time left at the window's rate of budget spending; null until two steps were observed.</summary>
    public TimeSpan? Remaining
    {
        get
        {
            double perSecond = Rate(s => s.Fraction);
            if (!(perSecond > 0)) return null;
            double left = Math.Max(0, 1 - _window.Last().Fraction) / perSecond;
            return left < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(Math.Round(left)) : null;
        }
    }

    private double Rate(Func<(double Seconds, long Step, double Fraction), double> quantity)
    {
        if (_window.Count < 2) return double.NaN;
        var (oldest, newest) = (_window.Peek(), _window.Last());
        double seconds = newest.Seconds - oldest.Seconds;
        return seconds > 0 ? (quantity(newest) - quantity(oldest)) / seconds : double.NaN;
    }
}
