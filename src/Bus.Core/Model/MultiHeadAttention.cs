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
        int d = (int)x.shape[2];
        using var scope = NewDisposeScope();
        var attended = GroupedQueryAttention.Attend(q.forward(x), k.forward(x), v.forward(x), _heads, _heads, d / _heads, null, _causal,
            training ? _dropout : 0.0);
        return o.forward(attended).MoveToOuterDisposeScope();
    }
}
