namespace Bus.Core.Model;

/// <summary>
/// The forward pass of <see cref="GrowableTransformer"/> (either family) as a pure function of a weight dictionary keyed
/// by the canonical names, so learned growth operators (LiGO, MANGO) can back-propagate the task loss into the tensors
/// that <em>produce</em> the weights (TorchSharp has no <c>torch.func.functional_call</c>). It composes the modules' own
/// functional forms (<see cref="ResidualBlock.Apply"/>, <see cref="GroupedQueryAttention.Attend"/>,
/// <see cref="FeedForward.Apply"/>, <see cref="SwiGluFeedForward.Apply"/>, <see cref="RmsNorm.Normalise"/>) and matches the
/// module's forward in evaluation mode (no dropout, every block runs, residual scale 1).
/// </summary>
public static class FunctionalTransformer
{
    /// <summary>LayerNorm epsilon used by <c>nn.LayerNorm</c> (and therefore by the GPT family's modules).</summary>
    public const double LayerNormEpsilon = 1e-5;

    /// <summary>tokens: int64 [batch, time] -> logits [batch, time, output size], computed from <paramref name="weights"/>.</summary>
    /// <exception cref="ArgumentException">The tokens are not [batch, time] with time &lt;= max length, or a weight is missing.</exception>
    public static Tensor Forward(IReadOnlyDictionary<string, Tensor> weights, TransformerConfig config, Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.dim() != 2)
            throw new ArgumentException($"Expected tokens of shape [batch, time], got [{string.Join(", ", tokens.shape)}].",
                nameof(tokens));
        long b = tokens.shape[0], t = tokens.shape[1], d = config.DModel;
        if (t > config.MaxLength)
            throw new ArgumentException($"Sequence length {t} exceeds MaxLength {config.MaxLength}.", nameof(tokens));
        Tensor W(string name) => weights.TryGetValue(name, out var w)
            ? w : throw new ArgumentException($"Missing weight '{name}'.", nameof(weights));
        bool llama = config.Architecture == ModelArchitecture.Llama;
        Tensor Norm(Tensor x, string name) => llama
            ? RmsNorm.Normalise(x, W($"{name}.weight"))
            : nn.functional.layer_norm(x, [x.shape[^1]], W($"{name}.weight"), W($"{name}.bias"), LayerNormEpsilon);

        using var scope = NewDisposeScope();
        // x = E_tok[tokens] (+ E_pos[0..t) in the GPT family; Llama's positions are rotary, inside attention)
        var x = W(ParameterNames.TokenEmbedding).index_select(0, tokens.flatten()).view(b, t, d);
        if (!llama)
            x = x + W(ParameterNames.PositionEmbedding).index_select(0, arange(t, dtype: int64, device: tokens.device));
        for (int l = 0; l < config.Layers; l++)
        {
            string block = ParameterNames.Block(l);
            Tensor B(string suffix) => W(block + suffix);
            Tensor? Bias(string suffix) => llama ? null : B(suffix);
            Tensor Linear(Tensor input, string module) => nn.functional.linear(input, B($"{module}.weight"), Bias($"{module}.bias"));
            x = ResidualBlock.Apply(x,
                a =>
                {
                    var normed = Norm(a, block + "ln1");
                    var attended = GroupedQueryAttention.Attend(Linear(normed, "attn.q"), Linear(normed, "attn.k"),
                        Linear(normed, "attn.v"), config.Heads, config.KvHeads, config.HeadDim, llama ? config.RopeTheta : null,
                        config.Mode == ModelMode.Decoder, 0.0);
                    return Linear(attended, "attn.o");
                },
                h =>
                {
                    var normed = Norm(h, block + "ln2");
                    return llama
                        ? SwiGluFeedForward.Apply(normed, B("mlp.gate.weight"), B("mlp.up.weight"), B("mlp.down.weight"))
                        : FeedForward.Apply(normed, B("mlp.fc1.weight"), B("mlp.fc1.bias"), B("mlp.fc2.weight"), B("mlp.fc2.bias"));
                });
        }
        var final = Norm(x, "ln_f");
        // tied head: logits = h E^T with E the token embedding
        var logits = config.TieEmbeddings
            ? nn.functional.linear(final, W(ParameterNames.TokenEmbedding))
            : nn.functional.linear(final, W(ParameterNames.HeadWeight), llama ? null : W(ParameterNames.HeadBias));
        return logits.MoveToOuterDisposeScope();
    }
}
