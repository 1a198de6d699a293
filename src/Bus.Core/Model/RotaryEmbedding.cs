namespace Bus.Core.Model;

/// <summary>
/// Rotary position embedding (Su et al. 2021, RoFormer eq. 34) in Hugging Face's <c>rotate_half</c> convention:
/// dimension i of a head is paired with i + head_dim/2 (not with its neighbour), frequency f_i = θ^(-2i/head_dim)
/// for i &lt; head_dim/2 repeated for both halves, and x' = x ⊙ cos(p f) + rotate_half(x) ⊙ sin(p f) with
/// rotate_half([x₁, x₂]) = [-x₂, x₁]. Applied to queries and keys, not values. Computed in float32 as Hugging Face does.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>cos(p f) and sin(p f) for positions p = 0..length-1: two [length, head_dim] tables.</summary>
    /// <param name="length">Number of positions.</param>
    /// <param name="headDim">Width of one head; must be even.</param>
    /// <param name="theta">Base θ (Llama: 10000).</param>
    /// <param name="device">Device of the tables.</param>
    public static (Tensor Cos, Tensor Sin) Tables(long length, int headDim, double theta, Device device)
    {
        if (headDim <= 0 || headDim % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "headDim must be positive and even for rotary embeddings.");
        if (!(double.IsFinite(theta) && theta > 0))
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "theta must be finite and positive.");
        using var scope = NewDisposeScope();
        // f_i = 1 / θ^(2i / head_dim), i = 0 .. head_dim/2 - 1 (HF: 1 / base ** (arange(0, dim, 2) / dim))
        var exponents = arange(0, headDim, 2, dtype: int64, device: device).to_type(float32) / headDim;
        var inverseFrequency = pow(tensor(theta, dtype: float32, device: device), exponents).reciprocal();
        var positions = arange(length, dtype: int64, device: device).to_type(float32);
        var angles = outer(positions, inverseFrequency);        // [T, head_dim/2]
        var both = cat([angles, angles], -1);                    // [T, head_dim]: the same frequency for i and i + head_dim/2
        return (both.cos().MoveToOuterDisposeScope(), both.sin().MoveToOuterDisposeScope());
    }

    /// <summary>rotate_half([x₁, x₂]) = [-x₂, x₁] on the last axis.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var first = x.narrow(-1, 0, half);
        var second = x.narrow(-1, half, half);
        return cat([-second, first], -1).MoveToOuterDisposeScope();
    }

    /// <summary>x ⊙ cos + rotate_half(x) ⊙ sin for x: [batch, heads, time, head_dim] and tables [time, head_dim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        using var scope = NewDisposeScope();
        using var rotated = RotateHalf(x);
        return (x * cos.to_type(x.dtype) + rotated * sin.to_type(x.dtype)).MoveToOuterDisposeScope();
    }
}
