// Grow a model that is not Bus's, inside ONE Fit: a user-written TorchSharp next-character MLP, described to Bus by its
// layout (11 rules), trained by Bus's Trainer with Lion, and grown during the run function-preservingly in width
// (HyperCloning) and then depth (zero-output new block). The factory builds the user's module of each new shape; the
// LR schedule continues across the growths and Lion's momentum is mapped by the operators. Prints each growth (dev loss
// before -> after) and exits 1 if a growth changed the function or the run did not train.
using Bus.Core.Data;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.Growth.Operators;
using Bus.Growth.Schedules;
using Bus.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using Bus.Core.Tasks.CharLm;
using Bus.Core.Tasks.Corpora;
using static TorchSharp.torch;

int steps = args.Length > 0 ? int.Parse(args[0]) : 150;
var (train, dev) = CharLmTaskData.Build(BuiltInCorpus.BrownSlice()[..60_000], contextLength: 32);

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

// 2. The plan: grow in width at a third of the run and in depth at two thirds, inside one Fit. Every stage is checked now.
var schedule = new GrowthSchedule(layout, small,
[
    new ModuleGrowthStage(GrowthTrigger.AtStep(steps / 3), wide, new HyperCloning()),
    new ModuleGrowthStage(GrowthTrigger.AtStep(2 * steps / 3), deep, new FunctionPreservingDepth()),
], factory: shape => new CharMlp(shape), seed: 7, policy: OptimizerStatePolicy.MapMoments);

// 3. One Fit: Bus's trainer with Lion, a linear-decay schedule over the whole budget.
manual_seed(1);
var options = new TrainerOptions { BatchSize = 32, Budget = Budget.Steps(steps), LearningRate = 3e-3, Seed = 1, EvaluationsPerEpoch = 4 };
var result = new Trainer(options, new LionFactory(), algorithms: [schedule]).Fit(new CharMlp(small), train, dev,
    SequenceObjective.LanguageModel);

double worst = 0;
foreach (var g in result.Growths)
{
    double change = Math.Abs(g.After.DevLoss - g.Before.DevLoss) / g.Before.DevLoss;
    worst = Math.Max(worst, change);
    Console.WriteLine($"step {g.Step}: grown by {g.Operator}: d {g.FromShape!.DModel}->{g.ToShape!.DModel}, hidden {g.FromShape.FeedForwardSize}->" +
                      $"{g.ToShape.FeedForwardSize}, blocks {g.FromShape.Layers}->{g.ToShape.Layers}; dev loss {g.Before.DevLoss:F5} -> {g.After.DevLoss:F5} " +
                      $"(relative change {change:E2})");
}
var first = result.History[0];
Console.WriteLine($"one Fit of {result.Meter.Steps} steps: dev bpc {first.DevMetric:F3} at step {first.Step} -> {result.Final.DevMetric:F3}; " +
                  $"final module {result.Module.GetType().Name} with {result.Module.parameters().Sum(p => p.numel()):N0} parameters");
train.Dispose();
dev.Dispose();
// Both operators are exact: the grown model must compute the small one's dev loss to float rounding.
if (result.Growths.Count != 2 || worst > 1e-5 || !(result.Final.DevMetric < first.DevMetric)) { Console.Error.WriteLine("growth did not preserve the function, or the run did not train"); return 1; }
return 0;

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
