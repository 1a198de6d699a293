// An ML.NET pipeline with a growing Bus transformer: MapValueToKey -> BusTransformer -> Evaluate -> Save -> Load -> PredictionEngine.
using Bus.MLNet;
using Microsoft.ML;

var ml = new MLContext(seed: 1);
var rng = new Random(7);
var rows = Enumerable.Range(0, 150).Select(i =>
{
    var (label, letters) = (i % 3) switch { 0 => ("x", "xy"), 1 => ("q", "qz"), _ => ("a", "ab") };
    return new Row { Text = new string(Enumerable.Range(0, rng.Next(4, 12)).Select(_ => letters[rng.Next(2)]).ToArray()), Label = label };
}).ToList();
var data = ml.Data.LoadFromEnumerable(rows);

var options = new BusTrainerOptions
{
    Model = BusTrainerOptions.DefaultModel with { MaxLength = 12, DModel = 16, Heads = 2, FeedForwardSize = 32 },
    StartDModel = 8, Epochs = 6, GrowthEpoch = 2, BatchSize = 16, LearningRate = 1e-2,
};
var pipeline = ml.Transforms.Conversion.MapValueToKey("Key", nameof(Row.Label))
    .Append(ml.MulticlassClassification.Trainers.BusTransformer("Key", nameof(Row.Text), options));
var model = pipeline.Fit(data);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data), "Key");
Console.WriteLine($"grown to d_model {model.LastTransformer.Config.DModel}; micro accuracy {metrics.MicroAccuracy:F3}");

string path = Path.Combine(Path.GetTempPath(), $"bus-sample-{Guid.NewGuid():N}.zip");
ml.Model.Save(model, data.Schema, path);
var loaded = new MLContext().Model.Load(path, out _);
File.Delete(path);
var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(loaded);
var p = engine.Predict(new Row { Text = "qzqqzq" });
Console.WriteLine($"'qzqqzq' -> class key {p.PredictedLabel}, scores [{string.Join(", ", p.Score.Select(s => s.ToString("F3")))}]");
var original = ml.Model.CreatePredictionEngine<Row, Prediction>(model).Predict(new Row { Text = "qzqqzq" });
if (!original.Score.SequenceEqual(p.Score)) { Console.Error.WriteLine("loaded model differs"); return 1; }
return metrics.MicroAccuracy > 0.8 ? 0 : 1;

public sealed class Row
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}

public sealed class Prediction
{
    public float[] Score { get; set; } = [];
    public uint PredictedLabel { get; set; }
}
