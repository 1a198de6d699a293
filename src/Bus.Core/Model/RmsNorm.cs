namespace Bus.Core.Model;

/// <summary>
/// Root-mean-square layer normalisation (Zhang and Sennrich 2019, eq. 4; Llama's <c>LlamaRMSNorm</c>):
/// y = g ⊙ x / sqrt(mean(x²) + ε) over the last axis. One parameter, the gain <c>weight</c> [d]; no bias, no centring.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>ε added to the mean square (Hugging Face <c>LlamaConfig.rms_norm_eps</c> default).</summary>
    public const double Epsilon = 1e-6;

    private readonly Parameter weight;

    /// <summary>Creates the norm over a last axis of width <paramref name="dimension"/>, gain 1.</summary>
    public RmsNorm(int dimension) : base("rms_norm")
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be positive.");
        weight = new Parameter(ones(dimension));
        register_parameter("weight", weight);
    }

    /// <summary>x: [..., d] -> [..., d].</summary>
    public override Tensor forward(Tensor x) => Normalise(x, weight);

    /// <summary>g ⊙ x / sqrt(mean(x²) + ε) with an explicit gain (the functional form).</summary>
    public static Tensor Normalise(Tensor x, Tensor gain)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gain);
        using var scope = NewDisposeScope();
        var meanSquare = x.square().mean([-1L], keepdim: true);
        return (x * meanSquare.add(ConstantScalars.Of(Epsilon)).rsqrt() * gain).MoveToOuterDisposeScope();
    }
}
