namespace Bus.Core.Model;

/// <summary>
/// One Llama-family block (Touvron et al. 2023): h = x + Attn(RMSNorm1(x)) * s; y = h + SwiGLU(RMSNorm2(h)) * s, with
/// grouped-query rotary attention (<see cref="GroupedQueryAttention"/>) and no biases.
/// </summary>
public sealed class LlamaBlock : ResidualBlock
{
    /// <summary>Creates a block for <paramref name="config"/>.</summary>
    public LlamaBlock(TransformerConfig config) : base("block",
        new RmsNorm(Checked(config).DModel), new GroupedQueryAttention(config), new RmsNorm(config.DModel), new SwiGluFeedForward(config),
            nn.Dropout(config.Dropout))
    {
    }

    private static TransformerConfig Checked(TransformerConfig config) => config ?? throw new ArgumentNullException(nameof(config));
}
