namespace Bus.Core.Model;

/// <summary>
/// The mask of masked structural growth (MSG, Yao et al., ICLR 2024, sec. 3): structure added by growth enters the
/// computation multiplied by a mask m in [0, 1], so at m = 0 the grown model computes exactly what the small model did,
/// whatever the new parameters hold. For depth, every masked block's residual branches are scaled by m
/// (h = x + m Attn(Norm1(x)); y = h + m MLP(Norm2(h)), the paper's layer mask x + m f(x) in pre-norm form).
/// For width, new channels, d_ff units and heads are masked and the norms' statistics weighted (<see cref="MaskedTransformer"/>).
/// A growth schedule ramps <see cref="Value"/> from 0 to 1 and removes the mask when it reaches 1.
/// </summary>
public sealed class GrowthMask
{
    private readonly HashSet<int> _blocks;
    private double _value;

    /// <summary>Creates a mask over the residual branches of <paramref name="maskedBlocks"/> (0-based block indices).</summary>
    /// <param name="maskedBlocks">The new blocks; each must be &gt;= 0.</param>
    /// <param name="value">Initial mask value in [0, 1] (default 0: function preserving).</param>
    /// <param name="width">For width growth: the small model's sizes (channels, units and heads past them are masked); null for depth
    /// only.</param>
    public GrowthMask(IEnumerable<int> maskedBlocks, double value = 0, MaskedWidth? width = null)
    {
        Width = width;
        ArgumentNullException.ThrowIfNull(maskedBlocks);
        _blocks = [];
        foreach (var block in maskedBlocks) _blocks.Add(Guard.NonNegative(block, nameof(maskedBlocks)));
        Value = value;
    }

    /// <summary>The small model's sizes when width grew (<see cref="MaskedTransformer"/> runs the forward); null for depth only.</summary>
    public MaskedWidth? Width { get; }

    /// <summary>The masked (new) blocks.</summary>
    public IReadOnlySet<int> MaskedBlocks => _blocks;

    /// <summary>The mask m, in [0, 1].</summary>
    public double Value
    {
        get => _value;
        set => _value = Guard.InRange(value, 0, 1, nameof(Value));
    }

    /// <summary>The factor on block <paramref name="layer"/>'s residual branches: m for a masked block, 1 otherwise.</summary>
    public double BlockScale(int layer) => _blocks.Contains(layer) ? _value : 1.0;
}
