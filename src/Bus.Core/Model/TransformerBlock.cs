namespace Bus.Core.Model;

/// <summary>
/// One pre-LN block of the GPT family (Xiong et al. 2020): h = x + Attn(LN1(x)) * s; y = h + MLP(LN2(h)) * s, where s is the
/// residual scale (1 normally; 1/p for a block kept with probability p by progressive layer dropping).
/// </summary>
public sealed class TransformerBlock : ResidualBlock
{
    /// <summary>Creates block for <paramref name="config"/>.</summary>
    public TransformerBlock(TransformerConfig config) : base("block",
        nn.LayerNorm(Checked(config).DModel), new MultiHeadAttention(config), nn.LayerNorm(config.DModel), new FeedForward(config),
            nn.Dropout(config.Dropout))
    {
    }

    private static TransformerConfig Checked(TransformerConfig config) => config ?? throw new ArgumentNullException(nameof(config));
}
