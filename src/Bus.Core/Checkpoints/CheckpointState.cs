namespace Bus.Core.Checkpoints;

/// <summary>Named tensors and strings that make up a checkpoint (written as one safetensors file).</summary>
public sealed class CheckpointState : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;
    private readonly Dictionary<string, string> _metadata;

    /// <summary>An empty state to fill.</summary>
    public CheckpointState() : this(new Dictionary<string, Tensor>(), new Dictionary<string, string>()) { }

    internal CheckpointState(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        _tensors = tensors;
        _metadata = metadata;
    }

    internal IReadOnlyDictionary<string, Tensor> Tensors => _tensors;
    internal IReadOnlyDictionary<string, string> Metadata => _metadata;

    /// <summary>Stores a copy of <paramref name="value"/> under <paramref name="key"/>.</summary>
    public void SetTensor(string key, Tensor value) => _tensors[key] = value.detach().cpu().clone().DetachFromDisposeScope();

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    public void SetString(string key, string value) => _metadata[key] = value;

    /// <summary>The tensor stored under <paramref name="key"/> (owned by this state).</summary>
    /// <exception cref="InvalidDataException">The checkpoint has no such entry.</exception>
    public Tensor GetTensor(string key) => _tensors.TryGetValue(key, out var t) ? t
        : throw new InvalidDataException($"Checkpoint has no tensor '{key}'.");

    /// <summary>The string stored under <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint has no such entry.</exception>
    public string GetString(string key) => _metadata.TryGetValue(key, out var s) ? s
        : throw new InvalidDataException($"Checkpoint has no entry '{key}'.");

    /// <summary>True when a string entry exists.</summary>
    public bool HasString(string key) => _metadata.ContainsKey(key);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
