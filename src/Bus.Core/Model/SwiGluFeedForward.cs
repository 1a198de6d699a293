namespace Bus.Core.Model;

/// <summary>
/// The Llama-family MLP (SwiGLU, Shazeer 2020, eq. 6): down(SiLU(gate(x)) ⊙ up(x)), hidden width d_ff, no biases.
/// Parameters <c>gate.weight</c> [d_ff, d_model], <c>up.weight</c> [d_ff, d_model], <c>down.weight</c> [d_model, d_ff].
/// </summary>
public sealed class SwiGluFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate, up, down;

    /// <summary>Creates the MLP for <paramref name="config"/>.</summary>
    public SwiGluFeedForward(TransformerConfig config) : base("mlp")
    {
        ArgumentNullException.ThrowIfNull(config);
        gate = nn.Linear(config.DModel, config.FeedForwardSize, hasBias: false);
        up = nn.Linear(config.DModel, config.FeedForwardSize, hasBias: false);
        down = nn.Linear(config.FeedForwardSize, config.DModel, hasBias: false);
        RegisterComponents();
    }

    /// <summary>x: [..., d_model] -> [..., d_model].</summary>
    public override Tensor forward(Tensor x) => Apply(x, gate.weight!, up.weight!, down.weight!);

    /// <summary>down(SiLU(gate x) ⊙ up x) with explicit weights (the functional form).</summary>
    public static Tensor Apply(Tensor x, Tensor gateWeight, Tensor upWeight, Tensor downWeight)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.silu(nn.functional.linear(x, gateWeight)) * nn.functional.linear(x, upWeight);
        return nn.functional.linear(hidden, downWeight).MoveToOuterDisposeScope();
    }
}
