using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

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
        long b = x.shape[0], t = x.shape[1];
        // [B, T, n x hd] -> [B, n, T, hd]
        Tensor Split(Tensor y, int n) => y.view(b, t, n, _headDim).transpose(1, 2);
        var (cos, sin) = RotaryEmbedding.Tables(t, _headDim, _theta, x.device);
        var queries = RotaryEmbedding.Apply(Split(q.forward(x), _heads), cos, sin);
        var keys = RotaryEmbedding.Apply(Split(k.forward(x), _kvHeads), cos, sin);
        var values = Split(v.forward(x), _kvHeads);
        int group = _heads / _kvHeads;
        if (group > 1)
        {
            keys = keys.repeat_interleave(group, dim: 1);   // kv head j serves query heads j*group .. j*group+group-1
            values = values.repeat_interleave(group, dim: 1);
        }
        var attended = nn.functional.scaled_dot_product_attention(queries, keys, values,
            p: training ? _dropout : 0.0, is_casual: _causal);
        return o.forward(attended.transpose(1, 2).contiguous().view(b, t, _heads * _headDim)).MoveToOuterDisposeScope();
    }
}
