using TorchSharp;
using static TorchSharp.torch;

namespace Bus.Core.Model;

/// <summary>
/// A pre-norm residual block of either family (Xiong et al. 2020): h = x + Drop(Attn(Norm1(x))) * s;
/// y = h + Drop(MLP(Norm2(h))) * s, where s is the residual scale (1 normally; 1/p for a block kept with probability p by
/// progressive layer dropping). The families supply the two branches.
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
    public Tensor Forward(Tensor x, double residualScale)
    {
        using var scope = NewDisposeScope();
        var h = x + Dropout(AttentionBranch(x)) * residualScale;
        var y = h + Dropout(MlpBranch(h)) * residualScale;
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Attn(Norm1(x)).</summary>
    protected abstract Tensor AttentionBranch(Tensor x);

    /// <summary>MLP(Norm2(h)).</summary>
    protected abstract Tensor MlpBranch(Tensor h);

    /// <summary>Dropout on a branch output (identity in evaluation mode).</summary>
    protected abstract Tensor Dropout(Tensor branch);
}
