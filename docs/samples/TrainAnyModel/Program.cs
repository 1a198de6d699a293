// Train YOUR OWN module (not a GrowableTransformer) through Bus's trainer, with selective backprop and Lion:
// a TorchSharp nn.TransformerEncoder classifier decides whether a 20-character window of Brown text holds at least
// three 'e's (one label per row, mean-pooled over positions). Exits 1 if it does not beat the majority class.
using Bus.Core.Data;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.Optimizers;
using Bus.Selection;
using TorchSharp;
using Bus.Core.Tasks.Corpora;
using static TorchSharp.torch;

const int T = 20;
int windows = args.Length > 0 ? int.Parse(args[0]) : 1200;
var text = BuiltInCorpus.BrownSlice();
(TensorDataset Train, TensorDataset Dev) Windows()
{
    var ids = new long[windows * T];
    var labels = new long[windows];
    for (int w = 0; w < windows; w++)
    {
        var window = text.Substring(w * T, T);
        CharVocabulary.Encode(window).CopyTo(ids, w * T);
        labels[w] = window.Count(c => c == 'e') >= 3 ? 1 : 0;
    }
    int trainCount = windows * 5 / 6;
    var x = tensor(ids, [windows, T]);
    var y = tensor(labels);
    return (new TensorDataset(x[..trainCount], y[..trainCount]), new TensorDataset(x[trainCount..], y[trainCount..]));
}
var (train, dev) = Windows();

manual_seed(1);
var model = new EncoderClassifier(dModel: 32, heads: 4, layers: 1, classes: 2);
var selector = new SelectiveBackpropSelector(new SelectiveBackpropOptions { Beta = 1, PrimingEpochs = 1 });
var trainer = new Trainer(new TrainerOptions { BatchSize = 32, Budget = Budget.Epochs(3), LearningRate = 1e-3, WeightDecay = 0.1, Seed = 1 },
    new LionFactory(), selector);
var objective = new SequenceClassificationObjective(SequencePooling.Mean);
var result = trainer.Fit(model, train, dev, objective,
    new InlineProgress<TrainingProgress>(p => { if (p.LastRecord is { } r && r.Step == p.Step) Console.WriteLine($"step {r.Step}: train loss {r.TrainLoss:F4}, dev loss {r.DevLoss:F4}, dev accuracy {r.DevMetric:F3}"); }));

double majority = dev.Targets.to(float64).mean().item<double>();
majority = Math.Max(majority, 1 - majority);
Console.WriteLine($"selective backprop kept {selector.Kept} of {selector.Scored} scored examples; Lion ran {result.Meter.Steps} steps");
Console.WriteLine($"dev accuracy {result.Final.DevMetric:F3} (majority class {majority:F3})");
return result.Final.DevMetric > majority + 0.05 ? 0 : 1;

/// <summary>Token embedding + learned positions → TorchSharp's nn.TransformerEncoder → per-position class logits [B, T, C].</summary>
sealed class EncoderClassifier : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Embedding tokens;
    private readonly TorchSharp.Modules.Parameter positions;
    private readonly TorchSharp.Modules.TransformerEncoder encoder;
    private readonly TorchSharp.Modules.Linear head;

    public EncoderClassifier(int dModel, int heads, int layers, int classes) : base(nameof(EncoderClassifier))
    {
        tokens = nn.Embedding(CharVocabulary.Size, dModel);
        positions = nn.Parameter(randn(64, dModel) * 0.02);
        encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dModel, heads, 4 * dModel, dropout: 0.0), layers);
        head = nn.Linear(dModel, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        long t = ids.shape[1];
        var x = tokens.forward(ids) + positions[..(int)t];          // [B, T, d]
        var h = encoder.call(x.transpose(0, 1), null, null);         // TorchSharp's encoder is sequence-first: [T, B, d]
        return head.forward(h.transpose(0, 1)).MoveToOuterDisposeScope();
    }
}
