// Train small, grow with BUS identity expansion, keep training: letter counting (seed 002) on the built-in Brown slice.
using Bus.Core.Data;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.Growth.Operators;
using Bus.Growth.Schedules;
using Bus.Core.Tasks.Corpora;
using Bus.Core.Tasks.LetterCounting;

int windows = args.Length > 0 ? int.Parse(args[0]) : 600;
var (train, dev) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice(), windowLength: 20, maxWindows: windows);
var small = new TransformerConfig { MaxLength = 20, DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, Classes = 3 };
var large = small with { DModel = 32, FeedForwardSize = 64 };

var schedule = new GrowthSchedule(small, [new GrowthStage(GrowthTrigger.AtEpoch(2), large, new BusIdentityExpansion())], seed: 1);
var trainer = new Trainer(new TrainerOptions { BatchSize = 32, Budget = Budget.Epochs(4), LearningRate = 3e-3, Seed = 1 }, algorithms: [schedule]);
var result = trainer.Fit(GrowableTransformer.Create(small, seed: 1), train, dev, SequenceObjective.TokenClassification);

foreach (var line in result.Log) Console.WriteLine(line);
Console.WriteLine($"final d_model {result.Model.Config.DModel}, dev accuracy {result.Final.DevMetric:F3} after {result.Meter.Steps} steps");
if (result.Model.Config.DModel != large.DModel) { Console.Error.WriteLine("growth did not happen"); return 1; }
return 0;
