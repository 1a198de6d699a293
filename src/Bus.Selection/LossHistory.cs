namespace Bus.Selection;

/// <summary>The most recent losses, oldest evicted first (Python's deque(maxlen=...)).</summary>
public sealed class LossHistory
{
    private readonly Queue<double> _values;

    /// <summary>Creates an empty history holding at most <paramref name="capacity"/> losses.</summary>
    public LossHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _values = new Queue<double>(capacity);
    }

    /// <summary>Most losses kept.</summary>
    public int Capacity { get; }

    /// <summary>Losses held now.</summary>
    public int Count => _values.Count;

    /// <summary>The losses, oldest first.</summary>
    public IReadOnlyCollection<double> Values => _values;

    /// <summary>Appends <paramref name="losses"/>, evicting the oldest beyond <see cref="Capacity"/>.</summary>
    public void AddRange(IEnumerable<double> losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        foreach (var loss in losses)
        {
            if (_values.Count == Capacity) _values.Dequeue();
            _values.Enqueue(loss);
        }
    }

    /// <summary>Removes every loss.</summary>
    public void Clear() => _values.Clear();
}
