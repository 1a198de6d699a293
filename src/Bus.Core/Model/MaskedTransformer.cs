namespace Bus.Core.Model;

/// <summary>
/// The forward pass of a <see cref="GrowableTransformer"/> while a width <see cref="GrowthMask"/> is in force (MSG, Yao
/// et al., ICLR 2024, sec. 3.2): with c_d, c_ff, c_h the channel, unit and head masks (1 on old entries, m on new ones),
/// the embeddings and every residual write are multiplied by c_d, every MLP hidden activation by c_ff, every head's
/// attention output by c_h, and the norms compute their statistics with weights c_d
/// (mean = Σ c x / Σ c, var = Σ c (x - mean)² / Σ c; RMSNorm: Σ c x² / Σ c) and multiply their output by c_d. At m = 0
/// the new channels of the residual stream are exactly zero and the old ones follow the small model's computation, for
/// any values of the new parameters; at m = 1 it is the ordinary forward. Dropout as in the modules when training.
/// </summary>
public static class MaskedTransformer
{
    /// <summary>tokens [batch, time] -> logits, computed from <paramref name="weights"/> (the model's own parameters) under
    /// <paramref name="mask"/>.</summary>
    public static Tensor Forward(IReadOnlyDictionary<string, Tensor> weights, TransformerConfig config, Tensor tokens, GrowthMask mask,
        bool training)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(mask);
        var width = mask.Width ?? throw new ArgumentException("The mask has no width part.", nameof(mask));
        using var scope = NewDisposeScope();
        long b = tokens.shape[0], t = tokens.shape[1];
        bool llama = config.Architecture == ModelArchitecture.Llama;
        double p = training ? config.Dropout : 0.0;
        Tensor W(string name) => weights[name];
        var device = tokens.device;
        var dtype = W(ParameterNames.TokenEmbedding).dtype;
        var cd = Ramp(width.DModel, config.DModel, mask.Value, dtype, device);
        var cff = Ramp(width.FeedForwardSize, config.FeedForwardSize, mask.Value, dtype, device);
        var ch = Ramp(width.Heads, config.Heads, mask.Value, dtype, device).repeat_interleave(config.HeadDim);
        var cdSum = cd.sum();
        Tensor Norm(Tensor x, string name)
        {
            if (llama)
                return x * ((x.square() * cd).sum([-1L], keepdim: true) / cdSum).add(ConstantScalars.Of(RmsNorm.Epsilon)).rsqrt()
                    * W($"{name}.weight") * cd;
            var mean = (x * cd).sum([-1L], keepdim: true) / cdSum;
            var centred = x - mean;
            var variance = (centred.square() * cd).sum([-1L], keepdim: true) / cdSum;
            return (centred * variance.add(ConstantScalars.Of(FunctionalTransformer.LayerNormEpsilon)).rsqrt() * W($"{name}.weight")
                + W($"{name}.bias")) * cd;
        }

        var x = W(ParameterNames.TokenEmbedding).index_select(0, tokens.flatten()).view(b, t, config.DModel);
        if (!llama) x = x + W(ParameterNames.PositionEmbedding).index_select(0, arange(t, dtype: int64, device: device));
        x = nn.functional.dropout(x * cd, p, training);
        for (int l = 0; l < config.Layers; l++)
        {
            string block = ParameterNames.Block(l);
            Tensor B(string suffix) => W(block + suffix);
            Tensor Linear(Tensor input, string module) =>
                nn.functional.linear(input, B($"{module}.weight"), llama ? null : B($"{module}.bias"));
            using var scale = mask.BlockScale(l).ToScalar(); // held until both branches ran (see ConstantScalars)
            x = ResidualBlock.Apply(x,
                a =>
                {
                    var normed = Norm(a, block + "ln1");
                    var attended = GroupedQueryAttention.Attend(Linear(normed, "attn.q"), Linear(normed, "attn.k"),
                        Linear(normed, "attn.v"), config.Heads, config.KvHeads, config.HeadDim, llama ? config.RopeTheta : null,
                        config.Mode == ModelMode.Decoder, p);
                    return nn.functional.dropout(Linear(attended * ch, "attn.o") * cd, p, training) * scale;
                },
                h =>
                {
                    var normed = Norm(h, block + "ln2");
                    var hidden = llama
                        ? nn.functional.silu(nn.functional.linear(normed, B("mlp.gate.weight")))
                            * nn.functional.linear(normed, B("mlp.up.weight"))
                        : nn.functional.gelu(Linear(normed, "mlp.fc1"));
                    var output = llama ? nn.functional.linear(hidden * cff, B("mlp.down.weight")) : Linear(hidden * cff, "mlp.fc2");
                    return nn.functional.dropout(output * cd, p, training) * scale;
                });
        }
        var final = Norm(x, "ln_f");
        var logits = config.TieEmbeddings
            ? nn.functional.linear(final, W(ParameterNames.TokenEmbedding))
            : nn.functional.linear(final, W(ParameterNames.HeadWeight), llama ? null : W(ParameterNames.HeadBias));
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>[1 x old, m x (size - old)].</summary>
    private static Tensor Ramp(int old, int size, double m, ScalarType dtype, Device device)
    {
        var c = ones(size, dtype: dtype, device: device);
        if (size > old) c[TensorIndex.Slice(old, size)].fill_(m);
        return c;
    }
}
