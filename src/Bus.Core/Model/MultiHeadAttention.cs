using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Core.Model;

/// <summary>
/// Multi-head self-attention with separate q/k/v/o linears (Vaswani et al. 2017, eq. 1):
/// Attention(Q,K,V) = softmax(QK^T / sqrt(d_head)) V, heads are contiguous slices of width d_model/heads.
/// </summary>
public sealed class MultiHeadAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear q, k, v, o;
    private readonly int _heads;
    private readonly bool _causal;
    private readonly double _dropout;

    /// <summary>Creates the attention layer for <paramref name="config"/>.</summary>
    public MultiHeadAttention(TransformerConfig config) : base("attn")
    {
        int d = config.DModel;
        q = nn.Linear(d, d);
        k = nn.Linear(d, d);
        v = nn.Linear(d, d);
        o = nn.Linear(d, d);
        _heads = config.Heads;
        _causal = config.Mode == ModelMode.Decoder;
        _dropout = config.Dropout;
        RegisterComponents();
    }

    /// <summary>x: [batch, time, d_model] -> [batch, time, d_model].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        // [B, T, d] -> [B, heads, T, d_head]
        Tensor Split(Tensor y) => y.view(b, t, _heads, d / _heads).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(
            Split(q.forward(x)), Split(k.forward(x)), Split(v.forward(x)),
            p: training ? _dropout : 0.0, is_casual: _causal);
        return o.forward(attended.transpose(1, 2).contiguous().view(b, t, d)).MoveToOuterDisposeScope();
    }
}
