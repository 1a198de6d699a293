namespace Bus.Core.Model;

/// <summary>
/// A pre-norm residual block of either family (Xiong et al. 2020): h = x + Drop(Attn(Norm1(x))) * s;
/// y = h + Drop(MLP(Norm2(h))) * s, where s is the residual scale (1 normally; 1/p for a block kept with probability p by
/// progressive layer dropping). The families supply the four sub-modules (registered as <c>ln1</c>, <c>attn</c>,
/// <c>ln2</c>, <c>mlp</c>, the names their layouts state).
/// </summary>
public abstract class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _norm1, _attention, _norm2, _mlp, _dropout;

    /// <summary>Creates the block from its two norms, attention, MLP and branch dropout.</summary>
    protected ResidualBlock(string name, nn.Module<Tensor, Tensor> norm1, nn.Module<Tensor, Tensor> attention,
        nn.Module<Tensor, Tensor> norm2, nn.Module<Tensor, Tensor> mlp, nn.Module<Tensor, Tensor> dropout) : base(name)
    {
        _norm1 = norm1 ?? throw new ArgumentNullException(nameof(norm1));
        _attention = attention ?? throw new ArgumentNullException(nameof(attention));
        _norm2 = norm2 ?? throw new ArgumentNullException(nameof(norm2));
        _mlp = mlp ?? throw new ArgumentNullException(nameof(mlp));
        _dropout = dropout ?? throw new ArgumentNullException(nameof(dropout));
        register_module("ln1", _norm1);
        register_module("attn", _attention);
        register_module("ln2", _norm2);
        register_module("mlp", _mlp);
        register_module("drop", _dropout);
    }

    /// <summary>x: [batch, time, d_model] -> same shape, residual scale 1.</summary>
    public override Tensor forward(Tensor x) => ForwardScaled(x, 1.0);

    /// <summary>The block with its residual branches multiplied by <paramref name="residualScale"/> (progressive layer dropping keeps a
    /// block with probability p and scales it by 1/p).</summary>
    public Tensor ForwardScaled(Tensor x, double residualScale)
    {
        if (residualScale == 1.0)
            return Apply(x, a => _dropout.forward(_attention.forward(_norm1.forward(a))),
                h => _dropout.forward(_mlp.forward(_norm2.forward(h))));
        using var scale = residualScale.ToScalar(); // held until both branches ran (see ConstantScalars)
        return Apply(x,
            a => _dropout.forward(_attention.forward(_norm1.forward(a))) * scale,
            h => _dropout.forward(_mlp.forward(_norm2.forward(h))) * scale);
    }

    /// <summary>
    /// The pre-norm residual equations with the branches given as functions (the module's forward and
    /// <see cref="FunctionalTransformer"/> both use it): h = x + attention(x); y = h + mlp(h).
    /// </summary>
    public static Tensor Apply(Tensor x, Func<Tensor, Tensor> attentionBranch, Func<Tensor, Tensor> mlpBranch)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(attentionBranch);
        ArgumentNullException.ThrowIfNull(mlpBranch);
        using var scope = NewDisposeScope();
        var h = x + attentionBranch(x);
        var y = h + mlpBranch(h);
        return y.MoveToOuterDisposeScope();
    }
}
