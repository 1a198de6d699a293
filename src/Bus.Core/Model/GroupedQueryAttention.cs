namespace Bus.Core.Model;

/// <summary>
/// Llama-family self-attention: grouped-query attention (Ainslie et al. 2023) with rotary positions and no biases.
/// q: [heads x head_dim, d_model]; k, v: [kv_heads x head_dim, d_model]; o: [d_model, heads x head_dim]. Heads are
/// contiguous row slices of width head_dim; query head h reads key/value head h / (heads / kv_heads) (Hugging Face
/// <c>repeat_kv</c>). RoPE (<see cref="RotaryEmbedding"/>) rotates q and k; scores are scaled by 1/sqrt(head_dim).
/// Causal in decoder mode, bidirectional in encoder mode.
/// </summary>
public sealed class GroupedQueryAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear q, k, v, o;
    private readonly int _heads, _kvHeads, _headDim;
    private readonly double _theta;
    private readonly bool _causal;
    private readonly double _dropout;

    /// <summary>Creates the attention layer for <paramref name="config"/>.</summary>
    public GroupedQueryAttention(TransformerConfig config) : base("attn")
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.Heads;
        _kvHeads = config.KvHeads;
        _headDim = config.HeadDim;
        _theta = config.RopeTheta;
        q = nn.Linear(config.DModel, _heads * _headDim, hasBias: false);
        k = nn.Linear(config.DModel, _kvHeads * _headDim, hasBias: false);
        v = nn.Linear(config.DModel, _kvHeads * _headDim, hasBias: false);
        o = nn.Linear(_heads * _headDim, config.DModel, hasBias: false);
        _causal = config.Mode == ModelMode.Decoder;
        _dropout = config.Dropout;
        RegisterComponents();
    }

    /// <summary>x: [batch, time, d_model] -> [batch, time, d_model].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var attended = Attend(q.forward(x), k.forward(x), v.forward(x), _heads, _kvHeads, _headDim, _theta, _causal,
            training ? _dropout : 0.0);
        return o.forward(attended).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scaled dot-product attention over heads (Vaswani et al. 2017, eq. 1) from projected queries [batch, time, heads x head_dim]
    /// and keys/values [batch, time, kv_heads x head_dim]: optional RoPE on q and k, key/value head j serving query heads
    /// j r .. j r + r - 1 (r = heads / kv_heads), softmax(Q K^T / sqrt(head_dim)) V; returns [batch, time, heads x head_dim]
    /// (before the output projection). Multi-head attention is the case kv_heads = heads without RoPE.
    /// </summary>
    /// <param name="queries">Projected queries.</param>
    /// <param name="keys">Projected keys.</param>
    /// <param name="values">Projected values.</param>
    /// <param name="heads">Query heads.</param>
    /// <param name="kvHeads">Key/value heads (divides <paramref name="heads"/>).</param>
    /// <param name="headDim">Width of one head.</param>
    /// <param name="ropeTheta">RoPE base θ; null for no rotary embedding.</param>
    /// <param name="causal">Mask future positions.</param>
    /// <param name="dropout">Attention dropout probability (0 in evaluation).</param>
    public static Tensor Attend(Tensor queries, Tensor keys, Tensor values, int heads, int kvHeads, int headDim, double? ropeTheta,
        bool causal, double dropout)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        using var scope = NewDisposeScope();
        long b = queries.shape[0], t = queries.shape[1];
        // [B, T, n x hd] -> [B, n, T, hd]
        Tensor Split(Tensor y, int n) => y.view(b, t, n, headDim).transpose(1, 2);
        var qs = Split(queries, heads);
        var ks = Split(keys, kvHeads);
        var vs = Split(values, kvHeads);
        if (ropeTheta is { } theta)
        {
            var (cos, sin) = RotaryEmbedding.Tables(t, headDim, theta, queries.device);
            qs = RotaryEmbedding.Apply(qs, cos, sin);
            ks = RotaryEmbedding.Apply(ks, cos, sin);
        }
        int group = heads / kvHeads;
        if (group > 1)
        {
            ks = ks.repeat_interleave(group, dim: 1);   // kv head j serves query heads j*group .. j*group+group-1
            vs = vs.repeat_interleave(group, dim: 1);
        }
        var attended = nn.functional.scaled_dot_product_attention(qs, ks, vs, p: dropout, is_casual: causal);
        return attended.transpose(1, 2).contiguous().view(b, t, heads * headDim).MoveToOuterDisposeScope();
    }
}
