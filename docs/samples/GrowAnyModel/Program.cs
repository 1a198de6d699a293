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

// 1. The user's module and its layout (CharMlp.cs): which axis of each of their parameters is the residual stream, the
// MLP width or the vocabulary, in 11 rules.
var layout = CharMlp.Layout;
ModelShape Shape(int d, int hidden, int layers) => CharMlp.Shape(d, hidden, layers, CharVocabulary.Size, CharVocabulary.Size);

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
