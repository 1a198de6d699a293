using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Core.Model;

/// <summary>The position-wise MLP of a block: fc2(GELU(fc1(x))), hidden width d_ff.</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1, fc2;

    /// <summary>Creates the MLP for <paramref name="config"/>.</summary>
    public FeedForward(TransformerConfig config) : base("mlp")
    {
        fc1 = nn.Linear(config.DModel, config.DFf);
        fc2 = nn.Linear(config.DFf, config.DModel);
        RegisterComponents();
    }

    /// <summary>x: [..., d_model] -> [..., d_model].</summary>
    public override Tensor forward(Tensor x)
    {
        using var hidden = nn.functional.gelu(fc1.forward(x));
        return fc2.forward(hidden);
    }
}
