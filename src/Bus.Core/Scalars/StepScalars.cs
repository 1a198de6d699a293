namespace Bus.Core.Scalars;

/// <summary>
/// Scalars for one optimizer step, each kept alive (and then disposed) by this object until the step ends.
/// TorchSharp's implicit double-to-<see cref="Scalar"/> conversions make temporaries that nothing references once
/// their native handle is passed to libtorch, so a garbage collection on another thread can finalize (free) one while
/// the native call still reads it; libtorch then fails in <c>Scalar::toFloat</c> ("Expected false to be true"). Passing
/// scalars from here closes that window.
/// </summary>
public sealed class StepScalars : IDisposable
{
    /// <summary>Starts with no scalars.</summary>
    public StepScalars() { }

    private readonly Dictionary<long, Scalar> _scalars = []; // keyed by the bits, so -0.0 and 0.0 stay apart

    /// <summary>A scalar holding <paramref name="value"/> (one per distinct value), alive until <see cref="Dispose"/>.</summary>
    public Scalar this[double value]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long bits = BitConverter.DoubleToInt64Bits(value);
            if (!_scalars.TryGetValue(bits, out var scalar)) _scalars[bits] = scalar = value.ToScalar();
            return scalar;
        }
    }

    private bool _disposed;

    /// <summary>Frees every scalar handed out.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var scalar in _scalars.Values) scalar.Dispose();
        _scalars.Clear();
    }
}
