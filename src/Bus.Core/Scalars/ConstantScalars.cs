using System.Collections.Concurrent;

namespace Bus.Core.Scalars;

/// <summary>
/// Process-lifetime scalars for the constants of a forward pass (ε, 1, a residual scale). TorchSharp's implicit
/// double-to-<see cref="Scalar"/> conversions make temporaries that nothing references once their native handle is
/// passed to libtorch, so a garbage collection on another thread can finalize (free) one during the native call
/// ("Unknown scalar type" from libtorch). A scalar returned here is rooted by this cache and never freed. Use it for
/// values from a small set; a value that changes every step belongs in <see cref="StepScalars"/>.
/// </summary>
public static class ConstantScalars
{
    private static readonly ConcurrentDictionary<long, Scalar> Cache = new(); // keyed by the bits, so -0.0 and 0.0 stay apart

    /// <summary>The rooted scalar holding <paramref name="value"/>.</summary>
    public static Scalar Of(double value) =>
        Cache.GetOrAdd(BitConverter.DoubleToInt64Bits(value), static bits => BitConverter.Int64BitsToDouble(bits).ToScalar());
}
