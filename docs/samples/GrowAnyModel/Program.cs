// Grow a model that is not Bus's: a user-written TorchSharp next-character MLP, described to Bus by its layout
// (~20 lines), grown function-preservingly in width (HyperCloning) and depth (zero-output new block), then trained
// on in the user's own loop with Lion. Prints the logit difference at each growth and the loss.
using Bus.Core.Data;
using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Growth;
using Bus.Growth.Operators;
using Bus.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

int steps = args.Length > 0 ? int.Parse(args[0]) : 100;
double worstGrowthDifference = 0;
random.manual_seed(1);
var text = CharVocabulary.Encode(BuiltInCorpus.BrownSlice()[..20000]);
using var stream = tensor(text, dtype: int64);

// 1. The user's layout: which axis of each of their parameters is the residual stream, the MLP width or the vocabulary.
LayoutAxis residual = new(AxisSpace.Residual), readsResidual = new(AxisSpace.Residual, Reads: true);
var layout = new ModelLayout("char-mlp", NormKind.LayerNorm,
[
    new("embed.weight", ParameterKind.Embedding, new(AxisSpace.Vocabulary), residual),
    new("blocks.{i}.norm.weight", ParameterKind.NormGain, residual),
    new("blocks.{i}.norm.bias", ParameterKind.NormBias, residual),
    new("blocks.{i}.up.weight", ParameterKind.Weight, new(AxisSpace.Mlp), readsResidual),
    new("blocks.{i}.up.bias", ParameterKind.Bias, new(AxisSpace.Mlp)),
    new("blocks.{i}.down.weight", ParameterKind.Weight, residual, new(AxisSpace.Mlp, Reads: true)),
    new("blocks.{i}.down.bias", ParameterKind.Bias, residual),
    new("final_norm.weight", ParameterKind.NormGain, residual),
    new("final_norm.bias", ParameterKind.NormBias, residual),
    new("out.weight", ParameterKind.Weight, new(AxisSpace.Outputs), readsResidual),
    new("out.bias", ParameterKind.Bias, new(AxisSpace.Outputs)),
]);
// No attention: one head of width 1 keeps the attention axes trivial.
ModelShape Shape(int d, int hidden, int layers) => new(d, 1, 1, 1, hidden, layers, CharVocabulary.Size, 0, CharVocabulary.Size);

var small = Shape(32, 64, 2);
var wide = small with { DModel = 64, FeedForwardSize = 128 };
var deep = wide with { Layers = 3 };
var model = new CharMlp(small);
Train(model, steps, "small");

model = Grow(model, new HyperCloning(), small, wide, "width (HyperCloning)");
model = Grow(model, new FunctionPreservingDepth(), wide, deep, "depth (zero-output block)");
double final = Train(model, steps, "grown");
// Both operators are exact: the grown model must compute the small one's logits to float rounding.
if (worstGrowthDifference > 1e-5 || !double.IsFinite(final)) { Console.Error.WriteLine("growth did not preserve the function"); return 1; }
return 0;

CharMlp Grow(CharMlp source, ITensorGrowthOperator op, ModelShape from, ModelShape to, string what)
{
    var weights = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
    var grown = new CharMlp(to);
    using (no_grad())
    {
        var big = op.Grow(weights, layout, from, to, new GrowthContext(Seed: 7));
        foreach (var (name, p) in grown.named_parameters()) p.copy_(big[name]);
        foreach (var t in big.Values) t.Dispose();
    }
    source.eval(); grown.eval();
    using (no_grad())
    {
        using var x = stream[..512];
        using var before = source.forward(x);
        using var after = grown.forward(x);
        double diff = (after - before).abs().max().item<float>(), scale = before.abs().max().item<float>();
        worstGrowthDifference = Math.Max(worstGrowthDifference, diff / scale);
        Console.WriteLine($"grown by {what}: d {from.DModel}->{to.DModel}, hidden {from.FeedForwardSize}->{to.FeedForwardSize}, blocks {from.Layers}->{to.Layers}; " +
                          $"max |logit diff| = {diff:E2} ({diff / scale:E2} of max |logit|)");
    }
    source.Dispose();
    return grown;
}

double Train(CharMlp net, int count, string label)
{
    var optimizer = Lion.Create(net.parameters(), new LionOptions { LearningRate = 3e-4 });
    var generator = new Generator(3);
    double loss = double.NaN;
    net.train();
    for (int step = 1; step <= count; step++)
    {
        using var scope = NewDisposeScope();
        var at = randint(stream.shape[0] - 1, [256], generator: generator, dtype: int64);
        var logits = net.forward(stream.index_select(0, at));
        var l = nn.functional.cross_entropy(logits, stream.index_select(0, at + 1));
        optimizer.zero_grad();
        l.backward();
        optimizer.step();
        loss = l.item<float>();
        if (step % 50 == 0 || step == count) Console.WriteLine($"{label} step {step}: loss {loss:F3}");
    }
    return loss;
}

/// <summary>The user's own model: token embedding, pre-LayerNorm residual MLP blocks, a final norm and a linear head.</summary>
sealed class CharMlp : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm final_norm;
    private readonly Linear @out;

    public CharMlp(ModelShape s) : base("char_mlp")
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

    public sealed class Block : nn.Module<Tensor, Tensor>
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
