using Bus.Core.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Bus.Growth.Learned;

/// <summary>
/// The forward pass of <see cref="GrowableTransformer"/> written as a pure function of a weight dictionary
/// (canonical <see cref="ParameterNames"/>), so learned growth operators (LiGO, MANGO) can back-propagate the
/// task loss into the tensors that <em>produce</em> the weights (TorchSharp has no <c>torch.func.functional_call</c>).
/// It matches the module's forward in evaluation mode (no dropout, every block runs, residual scale 1).
/// </summary>
public static class FunctionalTransformer
{
    /// <summary>LayerNorm epsilon used by <c>nn.LayerNorm</c> (and therefore by the module).</summary>
    public const double LayerNormEpsilon = 1e-5;

    /// <summary>tokens: int64 [batch, time] -> logits [batch, time, output size], computed from <paramref name="weights"/>.</summary>
    /// <exception cref="ArgumentException">The tokens are not [batch, time] with time &lt;= max length, or a weight is missing.</exception>
    public static Tensor Forward(IReadOnlyDictionary<string, Tensor> weights, TransformerConfig config, Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.dim() != 2)
            throw new ArgumentException($"Expected tokens of shape [batch, time], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        long b = tokens.shape[0], t = tokens.shape[1], d = config.DModel;
        if (t > config.MaxLength)
            throw new ArgumentException($"Sequence length {t} exceeds MaxLength {config.MaxLength}.", nameof(tokens));
        Tensor W(string name) => weights.TryGetValue(name, out var w)
            ? w : throw new ArgumentException($"Missing weight '{name}'.", nameof(weights));

        using var scope = NewDisposeScope();
        using var positions = arange(t, dtype: int64, device: tokens.device);
        // x = E_tok[tokens] + E_pos[0..t)
        var x = W(ParameterNames.TokenEmbedding).index_select(0, tokens.flatten()).view(b, t, d)
                + W(ParameterNames.PositionEmbedding).index_select(0, positions);
        for (int l = 0; l < config.Layers; l++)
        {
            Tensor B(string suffix) => W(ParameterNames.Block(l, suffix));
            // Pre-LN block: h = x + Attn(LN1(x)); y = h + MLP(LN2(h))
            var h = x + Attention(LayerNorm(x, B("ln1.weight"), B("ln1.bias")), B, config);
            var hidden = nn.functional.gelu(nn.functional.linear(LayerNorm(h, B("ln2.weight"), B("ln2.bias")), B("mlp.fc1.weight"), B("mlp.fc1.bias")));
            x = h + nn.functional.linear(hidden, B("mlp.fc2.weight"), B("mlp.fc2.bias"));
        }
        var final = LayerNorm(x, W(ParameterNames.FinalNormWeight), W(ParameterNames.FinalNormBias));
        return nn.functional.linear(final, W(ParameterNames.HeadWeight), W(ParameterNames.HeadBias)).MoveToOuterDisposeScope();
    }

    private static Tensor LayerNorm(Tensor x, Tensor gain, Tensor shift) =>
        nn.functional.layer_norm(x, [x.shape[^1]], gain, shift, LayerNormEpsilon);

    // softmax(Q K^T / sqrt(d_head)) V over contiguous head slices, then the output projection (Vaswani et al. 2017, eq. 1).
    private static Tensor Attention(Tensor x, Func<string, Tensor> block, TransformerConfig config)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        Tensor Split(Tensor y) => y.view(b, t, config.Heads, d / config.Heads).transpose(1, 2);
        Tensor Project(string name) => nn.functional.linear(x, block($"attn.{name}.weight"), block($"attn.{name}.bias"));
        var attended = nn.functional.scaled_dot_product_attention(
            Split(Project("q")), Split(Project("k")), Split(Project("v")), p: 0.0, is_casual: config.Mode == ModelMode.Decoder);
        return nn.functional.linear(attended.transpose(1, 2).contiguous().view(b, t, d), block("attn.o.weight"), block("attn.o.bias"));
    }
}
