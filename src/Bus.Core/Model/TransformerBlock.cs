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
    protected override Tensor AttentionBranch(Tensor x)
    {
        using var normed = ln1.forward(x);
        return attn.forward(normed);
    }

    /// <inheritdoc />
    protected override Tensor MlpBranch(Tensor h)
    {
        using var normed = ln2.forward(h);
        return mlp.forward(normed);
    }

    /// <inheritdoc />
    protected override Tensor Dropout(Tensor branch) => drop.forward(branch);
}
