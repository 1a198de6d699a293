using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

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
        gate = nn.Linear(config.DModel, config.DFf, hasBias: false);
        up = nn.Linear(config.DModel, config.DFf, hasBias: false);
        down = nn.Linear(config.DFf, config.DModel, hasBias: false);
        RegisterComponents();
    }

    /// <summary>x: [..., d_model] -> [..., d_model].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.silu(gate.forward(x)) * up.forward(x);
        return down.forward(hidden).MoveToOuterDisposeScope();
    }
}
