using TorchSharp;
using static TorchSharp.torch;

namespace Bus.Core.Model;

/// <summary>
/// A pre-norm residual block of either family: y = x + F(x) * s, where s is the residual scale (1 normally; 1/p for a
/// block kept with probability p by progressive layer dropping).
/// </summary>
public abstract class ResidualBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the block module with the given module name.</summary>
    protected ResidualBlock(string name) : base(name)
    {
    }

    /// <summary>x: [batch, time, d_model] -> same shape, residual scale 1.</summary>
    public override Tensor forward(Tensor x) => Forward(x, 1.0);

    /// <summary>The block with its residual branches multiplied by <paramref name="residualScale"/>.</summary>
    public abstract Tensor Forward(Tensor x, double residualScale);
}
