namespace Bus.Core.Generation;

/// <summary>
/// The incremental forward of a decoder <see cref="GrowableTransformer"/> (either family) with a <see cref="KeyValueCache"/>:
/// new tokens at positions cache.Length.. are embedded (GPT: learned positions at those indices; Llama: RoPE at those
/// positions), their keys and values are appended to the cache, and their queries attend to every cached position up
/// to their own. The logits equal those of the full forward over the whole prefix at the same positions (evaluation
/// mode: no dropout, every block, residual scale 1). It works from the weight dictionary like
/// <see cref="FunctionalTransformer"/>, so the training forward path is untouched.
/// </summary>
public static class CachedTransformer
{
    /// <summary>tokens: int64 [batch, count] at positions cache.Length .. cache.Length + count - 1 -> logits [batch, count, vocab];
    /// advances the cache.</summary>
    /// <param name="weights">The model's parameters by canonical name (<c>named_parameters</c>).</param>
    /// <param name="cache">Keys and values of the earlier positions; its config is the model's.</param>
    /// <param name="tokens">The new tokens.</param>
    /// <exception cref="ArgumentException">The tokens are not [batch, count], or they do not fit in the cache.</exception>
    /// <exception cref="InvalidOperationException">The config is not a decoder.</exception>
    public static Tensor Forward(IReadOnlyDictionary<string, Tensor> weights, KeyValueCache cache, Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(tokens);
        var config = cache.Config;
        if (config.Mode != ModelMode.Decoder)
            throw new InvalidOperationException($"Incremental decoding needs a decoder (Mode = Decoder); the model is {config.Mode}.");
        if (tokens.dim() != 2 || tokens.shape[1] == 0)
            throw new ArgumentException(
                $"Expected tokens of shape [batch, count] with count >= 1, got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        long b = tokens.shape[0], count = tokens.shape[1], d = config.DModel;
        int start = cache.Length;
        if (start + count > cache.Capacity)
            throw new ArgumentException($"{count} new tokens after {start} cached exceed the cache capacity {cache.Capacity}.",
                nameof(tokens));
        Tensor W(string name) => weights.TryGetValue(name, out var w) ? w : throw new ArgumentException($"Missing weight '{name}'.",
            nameof(weights));
        bool llama = config.Architecture == ModelArchitecture.Llama;
        int heads = config.Heads, kvHeads = config.KvHeads, headDim = config.HeadDim;
        Tensor Norm(Tensor x, string name) => llama
            ? RmsNorm.Normalise(x, W($"{name}.weight"))
            : nn.functional.layer_norm(x, [x.shape[^1]], W($"{name}.weight"), W($"{name}.bias"), FunctionalTransformer.LayerNormEpsilon);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = tokens.device;
        var x = W(ParameterNames.TokenEmbedding).index_select(0, tokens.flatten()).view(b, count, d);
        if (!llama)
            x = x + W(ParameterNames.PositionEmbedding).index_select(0, arange(start, start + count, dtype: int64, device: device));
        // query i (position start + i) sees key j when j <= start + i; a single new token sees every cached key
        Tensor? mask = count == 1 ? null
            : arange(start + count, dtype: int64, device: device).unsqueeze(0) <= arange(start, start + count, dtype: int64,
                device: device).unsqueeze(1);
        var (cos, sin) = llama ? (cache.Cos!.narrow(0, start, count), cache.Sin!.narrow(0, start, count)) : (null, null);
        for (int l = 0; l < config.Layers; l++)
        {
            string block = ParameterNames.Block(l);
            int layer = l;
            Tensor B(string suffix) => W(block + suffix);
            Tensor Linear(Tensor input, string module) => nn.functional.linear(input, B($"{module}.weight"),
                llama ? null : B($"{module}.bias"));
            Tensor Split(Tensor y, int n) => y.view(b, count, n, headDim).transpose(1, 2); // [B, n, count, hd]
            x = ResidualBlock.Apply(x,
                a =>
                {
                    var normed = Norm(a, block + "ln1");
                    var q = Split(Linear(normed, "attn.q"), heads);
                    var k = Split(Linear(normed, "attn.k"), kvHeads);
                    var v = Split(Linear(normed, "attn.v"), kvHeads);
                    if (llama)
                    {
                        q = RotaryEmbedding.Apply(q, cos!, sin!);
                        k = RotaryEmbedding.Apply(k, cos!, sin!);
                    }
                    var (keys, values) = cache.Write(layer, k, v);
                    int group = heads / kvHeads;
                    if (group > 1)
                    {
                        keys = keys.repeat_interleave(group, dim: 1);
                        values = values.repeat_interleave(group, dim: 1);
                    }
                    var attended = nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: mask);
                    return Linear(attended.transpose(1, 2).contiguous().view(b, count, heads * headDim), "attn.o");
                },
                h =>
                {
                    var normed = Norm(h, block + "ln2");
                    return llama
                        ? SwiGluFeedForward.Apply(normed, B("mlp.gate.weight"), B("mlp.up.weight"), B("mlp.down.weight"))
                        : FeedForward.Apply(normed, B("mlp.fc1.weight"), B("mlp.fc1.bias"), B("mlp.fc2.weight"), B("mlp.fc2.bias"));
                });
        }
        cache.Advance((int)count);
        var final = Norm(x, "ln_f");
        var logits = config.TieEmbeddings
            ? nn.functional.linear(final, W(ParameterNames.TokenEmbedding))
            : nn.functional.linear(final, W(ParameterNames.HeadWeight), llama ? null : W(ParameterNames.HeadBias));
        return logits.MoveToOuterDisposeScope();
    }
}
