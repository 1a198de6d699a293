namespace Bus.Growth.Tests.Schedules;

/// <summary>
/// A module that is not Bus's: per-token embedding, pre-LayerNorm residual MLP blocks, a final LayerNorm and a linear
/// head (logits [B, T, outputs]), described to Bus only by <see cref="Layout"/>.
/// </summary>
internal sealed class TokenMlp : nn.Module<Tensor, Tensor>
{
    private static readonly LayoutAxis Residual = new(AxisSpace.Residual);
    private static readonly LayoutAxis ReadsResidual = new(AxisSpace.Residual, Reads: true);

    /// <summary>Which axis of each parameter is the residual stream, the MLP width, the vocabulary or the outputs.</summary>
    public static ModelLayout Layout { get; } = new("token-mlp", NormKind.LayerNorm,
    [
        new("embed.weight", ParameterKind.Embedding, new(AxisSpace.Vocabulary), Residual),
        new("blocks.{i}.norm.weight", ParameterKind.NormGain, Residual),
        new("blocks.{i}.norm.bias", ParameterKind.NormBias, Residual),
        new("blocks.{i}.up.weight", ParameterKind.Weight, new(AxisSpace.Mlp), ReadsResidual),
        new("blocks.{i}.up.bias", ParameterKind.Bias, new(AxisSpace.Mlp)),
        new("blocks.{i}.down.weight", ParameterKind.Weight, Residual, new(AxisSpace.Mlp, Reads: true)),
        new("blocks.{i}.down.bias", ParameterKind.Bias, Residual),
        new("final_norm.weight", ParameterKind.NormGain, Residual),
        new("final_norm.bias", ParameterKind.NormBias, Residual),
        new("out.weight", ParameterKind.Weight, new(AxisSpace.Outputs), ReadsResidual),
        new("out.bias", ParameterKind.Bias, new(AxisSpace.Outputs)),
    ]);

    private readonly Embedding embed;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm final_norm;
    private readonly Linear @out;

    /// <summary>The shape of a model of width <paramref name="d"/>, MLP width <paramref name="hidden"/> and <paramref name="layers"/>
    /// blocks (no attention: one head of width 1).</summary>
    public static ModelShape Shape(int d, int hidden, int layers, int vocabulary = 27, int outputs = 3) =>
        new(d, 1, 1, 1, hidden, layers, vocabulary, 0, outputs);

    public TokenMlp(ModelShape s) : base("token_mlp")
    {
        embed = nn.Embedding(s.Vocabulary, s.DModel);
        blocks = new ModuleList<Block>(Enumerable.Range(0, s.Layers).Select(_ => new Block(s.DModel, s.FeedForwardSize)).ToArray());
        final_norm = nn.LayerNorm(s.DModel);
        @out = nn.Linear(s.DModel, s.Outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = embed.forward(tokens);
        foreach (var block in blocks) x = block.forward(x);
        return @out.forward(final_norm.forward(x)).MoveToOuterDisposeScope();
    }

    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm norm;
        private readonly Linear up, down;

        public Block(int d, int hidden) : base("block")
        {
            norm = nn.LayerNorm(d);
            up = nn.Linear(d, hidden);
            down = nn.Linear(hidden, d);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return (x + down.forward(nn.functional.gelu(up.forward(norm.forward(x))))).MoveToOuterDisposeScope();
        }
    }
}
