using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Core.Model;

/// <summary>
/// One Llama-family block (Touvron et al. 2023): h = x + Attn(RMSNorm1(x)) * s; y = h + SwiGLU(RMSNorm2(h)) * s, with
/// grouped-query rotary attention (<see cref="GroupedQueryAttention"/>) and no biases.
/// </summary>
public sealed class LlamaBlock : ResidualBlock
{
    private readonly RmsNorm ln1, ln2;
    private readonly GroupedQueryAttention attn;
    private readonly SwiGluFeedForward mlp;
    private readonly Dropout drop;

    /// <summary>Creates a block for <paramref name="config"/>.</summary>
    public LlamaBlock(TransformerConfig config) : base("block")
    {
        ArgumentNullException.ThrowIfNull(config);
        ln1 = new RmsNorm(config.DModel);
        attn = new GroupedQueryAttention(config);
        ln2 = new RmsNorm(config.DModel);
        mlp = new SwiGluFeedForward(config);
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
