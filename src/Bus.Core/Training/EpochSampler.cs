namespace Bus.Core.Training;

/// <summary>
/// Draws training-example indices in a fresh seeded shuffle each epoch (Fisher-Yates with the run's
/// <see cref="Random"/>). A draw that does not fit in the rest of the epoch starts the next one, so each
/// epoch yields floor(N / n) full draws and the remainder is dropped.
/// </summary>
internal sealed class EpochSampler(int count, Random random) : Data.IExampleSampler
{
    private readonly int[] _order = Enumerable.Range(0, count).ToArray();
    private int _position = count; // forces a shuffle at the first draw
    private bool _started;

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }

    /// <summary>True when the last <see cref="Next"/> call finished an epoch's last full draw.</summary>
    public bool EpochCompleted { get; private set; }

    /// <summary>The sampler's state for checkpoints: the current epoch's order, then position, epoch and started flag.</summary>
    public long[] State
    {
        get => [.. _order.Select(i => (long)i), _position, Epoch, _started ? 1 : 0, EpochCompleted ? 1 : 0];
        set
        {
            if (value.Length != _order.Length + 4)
                throw new InvalidDataException(
                    $"Sampler state has {value.Length} entries; expected {_order.Length + 4} for {_order.Length} training examples.");
            // Validated before any field changes: the order is a permutation of 0..N-1, the counters are in range.
            var seen = new bool[_order.Length];
            for (int i = 0; i < _order.Length; i++)
            {
                if (value[i] < 0 || value[i] >= _order.Length || seen[value[i]])
                    throw new InvalidDataException(
                        $"Sampler state entry {i} is {value[i]}: the order must be a permutation of 0..{_order.Length - 1}.");
                seen[value[i]] = true;
            }
            if (value[^4] < 0 || value[^4] > _order.Length)
                throw new InvalidDataException($"Sampler position {value[^4]} is outside 0..{_order.Length}.");
            if (value[^3] < 0 || value[^3] > int.MaxValue)
                throw new InvalidDataException($"Sampler epoch {value[^3]} is outside 0..{int.MaxValue}.");
            if (value[^2] is not (0 or 1) || value[^1] is not (0 or 1))
                throw new InvalidDataException($"Sampler flags {value[^2]}, {value[^1]} must be 0 or 1.");
            for (int i = 0; i < _order.Length; i++) _order[i] = (int)value[i];
            _position = (int)value[^4];
            Epoch = (int)value[^3];
            _started = value[^2] != 0;
            EpochCompleted = value[^1] != 0;
        }
    }

    /// <summary>Returns the next <paramref name="n"/> indices.</summary>
    public long[] Next(int n)
    {
        if (_position + n > _order.Length)
        {
            if (_started) Epoch++;
            _started = true;
            random.Shuffle(_order);
            _position = 0;
        }
        var draw = new long[n];
        for (int i = 0; i < n; i++) draw[i] = _order[_position + i];
        _position += n;
        EpochCompleted = _position + n > _order.Length;
        return draw;
    }
}
