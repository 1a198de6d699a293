// A Bus transformer classifier beside ML.NET's bag-of-n-grams baseline (FeaturizeText + SDCA logistic regression) on two
// binary tasks, same rows, same seeded 80/20 split, test accuracy of each:
//   order:  16 letters, eight 'a' and eight 'b' shuffled; label: more 'a' in the first half than in the second.
//           Every string has the same letter counts, so only positions tell the classes apart.
//   digits: 6-word windows of the Brown slice (text8); label: a digit word ("one", "seven", ...) occurs. Word presence.
// Exit 1 when the transformer does not reach the baseline on the order task (the task it is for).
using System.Diagnostics;
using Bus.Core.Data;
using Bus.Core.Model;
using Bus.MLNet;
using Microsoft.ML;
using Bus.Core.Tasks.Corpora;

var ml = new MLContext(seed: 1);
var rng = new Random(3);
var results = new List<(string Task, double Sdca, double SdcaSeconds, double Bus, double BusSeconds)>();

var order = Enumerable.Range(0, 3000)
    .Select(_ => Enumerable.Repeat('a', 8).Concat(Enumerable.Repeat('b', 8)).OrderBy(_ => rng.Next()).ToArray())
    .Select(c => (Text: new string(c), FirstHalf: c.Take(8).Count(x => x == 'a')))
    .Where(t => t.FirstHalf != 4)                                             // no ties
    .Select(t => new Row { Text = t.Text, Label = t.FirstHalf > 4 }).ToList();
results.Add(Compare("order", order, new BusTrainerOptions
{
    Model = new TransformerConfig { MaxLength = 16, DModel = 32, Heads = 4, FeedForwardSize = 128, Layers = 1 },
    Epochs = 5, LearningRate = 3e-3, Seed = 1,
}));

string[] digitWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
var words = BuiltInCorpus.BrownSlice().Split(' ', StringSplitOptions.RemoveEmptyEntries);
var windows = Enumerable.Range(0, words.Length / 6).Select(i => string.Join(' ', words.Skip(i * 6).Take(6)))
    .Select(t => new Row { Text = t, Label = t.Split(' ').Any(digitWords.Contains) }).ToList();
var positives = windows.Where(r => r.Label).ToList();                         // balanced: every positive, as many negatives
var digits = positives.Concat(windows.Where(r => !r.Label).OrderBy(_ => rng.Next()).Take(positives.Count)).ToList();
results.Add(Compare("digits", digits, new BusTrainerOptions
{
    Model = new TransformerConfig { MaxLength = 64, DModel = 32, Heads = 4, FeedForwardSize = 128, Layers = 1 },
    Epochs = 2, LearningRate = 3e-3, Seed = 1,
}));

Console.WriteLine("task    SDCA (bag of n-grams)   Bus transformer");
foreach (var r in results)
    Console.WriteLine($"{r.Task,-7} {r.Sdca,7:P1} ({r.SdcaSeconds,4:F0} s)      {r.Bus,7:P1} ({r.BusSeconds,4:F0} s)");
return results[0].Bus >= results[0].Sdca ? 0 : 1;

(string, double, double, double, double) Compare(string task, List<Row> rows, BusTrainerOptions options)
{
    rows = rows.OrderBy(_ => rng.Next()).ToList();
    int cut = rows.Count * 4 / 5;
    var train = ml.Data.LoadFromEnumerable(rows.Take(cut));
    var test = ml.Data.LoadFromEnumerable(rows.Skip(cut));
    var clock = Stopwatch.StartNew();
    var sdca = ml.Transforms.Text.FeaturizeText("Features", nameof(Row.Text))
        .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(train);
    double sdcaAccuracy = ml.BinaryClassification.Evaluate(sdca.Transform(test)).Accuracy, sdcaSeconds = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var bus = ml.BinaryClassification.Trainers.BusTransformer(nameof(Row.Label), nameof(Row.Text), options).Fit(train);
    double busAccuracy = ml.BinaryClassification.Evaluate(bus.Transform(test)).Accuracy;
    return (task, sdcaAccuracy, sdcaSeconds, busAccuracy, clock.Elapsed.TotalSeconds);
}

public sealed class Row
{
    public string Text { get; set; } = "";
    public bool Label { get; set; }
}
