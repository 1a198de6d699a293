using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Core.Model;

/// <summary>
/// One pre-LN block of the GPT family (Xiong et al. 2020): h = x + Attn(LN1(x)) * s; y = h + MLP(LN2(h)) * s, where s is the
/// residual scale (1 normally; 1/p for a block kept with probability p by progressive layer dropping).
/// </summary>
public sealed class TransformerBlock : ResidualBlock
{
    private readonly LayerNorm ln1, ln2;
    private readonly MultiHeadAttention attn;
    private readonly FeedForward mlp;
    private readonly Dropout drop;

    /// <summary>Creates block for <paramref name="config"/>.</summary>
    public TransformerBlock(TransformerConfig config) : base("block")
    {
        ln1 = nn.LayerNorm(config.DModel);
        attn = new MultiHeadAttention(config);
        ln2 = nn.LayerNorm(config.DModel);
        mlp = new FeedForward(config);
        drop = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, double residualScale)
    {
        using var scope = NewDisposeScope();
        var h = x + drop.forward(attn.forward(ln1.forward(x))) * residualScale;
        var y = h + drop.forward(mlp.forward(ln2.forward(h))) * residualScale;
        return y.MoveToOuterDisposeScope();
    }
}
