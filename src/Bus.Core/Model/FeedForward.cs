namespace Bus.Core.Model;

/// <summary>The position-wise MLP of a block: fc2(GELU(fc1(x))), hidden width d_ff.</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1, fc2;

    /// <summary>Creates the MLP for <paramref name="config"/>.</summary>
    public FeedForward(TransformerConfig config) : base("mlp")
    {
        fc1 = nn.Linear(config.DModel, config.FeedForwardSize);
        fc2 = nn.Linear(config.FeedForwardSize, config.DModel);
        RegisterComponents();
    }

    /// <summary>x: [..., d_model] -> [..., d_model].</summary>
    public override Tensor forward(Tensor x) => Apply(x, fc1.weight!, fc1.bias, fc2.weight!, fc2.bias);

    /// <summary>fc2(GELU(fc1(x))) with explicit weights (the functional form).</summary>
    public static Tensor Apply(Tensor x, Tensor fc1Weight, Tensor? fc1Bias, Tensor fc2Weight, Tensor? fc2Bias)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.gelu(nn.functional.linear(x, fc1Weight, fc1Bias));
        return nn.functional.linear(hidden, fc2Weight, fc2Bias).MoveToOuterDisposeScope();
    }
}
