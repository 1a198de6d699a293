namespace Bus.Core.Data;

/// <summary>
/// Draws token-stream window offsets uniformly from 0..offsets-1 with the run's random generator (with
/// replacement, nanoGPT's get_batch). An "epoch" is <c>windowsPerEpoch</c> draws. Its own state is the draw
/// count; the generator's state is checkpointed by the trainer, so a resumed run draws the same offsets.
/// </summary>
public sealed class WindowSampler : IExampleSampler
{
    private readonly long _offsets;
    private readonly long _perEpoch;
    private readonly Random _random;
    private long _drawn;
    private long _lastStart;

    /// <summary>Creates a sampler over <paramref name="offsets"/> offsets with <paramref name="windowsPerEpoch"/> draws per
    /// epoch.</summary>
    public WindowSampler(long offsets, long windowsPerEpoch, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(offsets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowsPerEpoch);
        _offsets = offsets;
        _perEpoch = windowsPerEpoch;
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>The epoch (0-based) in which the last draw started (like <see cref="EpochCompleted"/>, it reports that epoch's
    /// end).</summary>
    public int Epoch => (int)(_lastStart / _perEpoch);

    /// <inheritdoc />
    public bool EpochCompleted { get; private set; }

    /// <inheritdoc />
    public long[] Next(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var draw = new long[n];
        for (int i = 0; i < n; i++) draw[i] = _random.NextInt64(_offsets);
        long before = _drawn / _perEpoch;
        _lastStart = _drawn;
        _drawn += n;
        EpochCompleted = _drawn / _perEpoch != before; // this draw reached the end of an epoch
        return draw;
    }

    /// <inheritdoc />
    public long[] State
    {
        get => [_drawn, _lastStart, EpochCompleted ? 1 : 0];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length != 3 || value[0] < 0 || value[1] < 0 || value[1] > value[0])
                throw new InvalidDataException(
                    $"Window sampler state must be [draws, last draw start, epoch completed] with 0 <= start <= draws; got " +
                    $"[{string.Join(",", value)}].");
            _drawn = value[0];
            _lastStart = value[1];
            EpochCompleted = value[2] != 0;
        }
    }
}
