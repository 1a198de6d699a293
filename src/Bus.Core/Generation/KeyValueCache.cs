namespace Bus.Core.Generation;

/// <summary>
/// The keys and values every attention layer of a decoder has computed so far (after RoPE for the Llama family), so
/// each new token attends to them without recomputing the prefix: per layer two buffers [batch, kv_heads, capacity,
/// head_dim] allocated once, filled position by position. <see cref="CachedTransformer.Forward"/> writes them; the cache
/// owns its tensors (dispose it).
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Allocates an empty cache for <paramref name="config"/>, zero-filled, on <paramref name="device"/>.</summary>
    /// <param name="config">The decoder's shape (layers, kv heads, head width, RoPE θ).</param>
    /// <param name="capacity">Most positions the cache holds, 1..<see cref="TransformerConfig.MaxLength"/>.</param>
    /// <param name="device">Device of the model's parameters.</param>
    /// <param name="dtype">Dtype of the model's parameters.</param>
    /// <param name="batch">Sequences decoded side by side (default 1).</param>
    public KeyValueCache(TransformerConfig config, int capacity, Device device, ScalarType dtype = ScalarType.Float32, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(device);
        Config = config.Validate();
        Capacity = Guard.InRange(capacity, 1, config.MaxLength, nameof(capacity));
        Guard.Positive(batch, nameof(batch));
        _keys = new Tensor[config.Layers];
        _values = new Tensor[config.Layers];
        for (int l = 0; l < config.Layers; l++)
        {
            _keys[l] = zeros([batch, config.KvHeads, capacity, config.HeadDim], dtype: dtype, device: device).DetachFromDisposeScope();
            _values[l] = zeros([batch, config.KvHeads, capacity, config.HeadDim], dtype: dtype, device: device).DetachFromDisposeScope();
        }
        if (config.Architecture == ModelArchitecture.Llama)
        {
            var (cos, sin) = RotaryEmbedding.Tables(capacity, config.HeadDim, config.RopeTheta, device);
            (Cos, Sin) = (cos.DetachFromDisposeScope(), sin.DetachFromDisposeScope());
        }
    }

    /// <summary>The decoder's shape.</summary>
    public TransformerConfig Config { get; }

    /// <summary>Most positions the cache holds.</summary>
    public int Capacity { get; }

    /// <summary>Positions cached so far (the position of the next token).</summary>
    public int Length { get; private set; }

    /// <summary>RoPE cos table [capacity, head_dim] (Llama family; null for GPT).</summary>
    internal Tensor? Cos { get; }

    /// <summary>RoPE sin table [capacity, head_dim] (Llama family; null for GPT).</summary>
    internal Tensor? Sin { get; }

    /// <summary>
    /// Writes the keys and values [batch, kv_heads, count, head_dim] of positions <see cref="Length"/>.. into layer
    /// <paramref name="layer"/> and returns views of every cached position of that layer, [batch, kv_heads, Length + count, head_dim].
    /// </summary>
    internal (Tensor Keys, Tensor Values) Write(int layer, Tensor keys, Tensor values)
    {
        long count = keys.shape[2];
        _keys[layer].narrow(2, Length, count).copy_(keys);
        _values[layer].narrow(2, Length, count).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + count), _values[layer].narrow(2, 0, Length + count));
    }

    /// <summary>Marks <paramref name="count"/> more positions as cached (after every layer wrote them).</summary>
    internal void Advance(int count) => Length += count;

    /// <summary>Forgets every cached position (the buffers are reused).</summary>
    public void Clear() => Length = 0;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
        Cos?.Dispose();
        Sin?.Dispose();
    }
}
