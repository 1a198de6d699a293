using System.Diagnostics;
using Bus.Core;
using Bus.Core.Data;
using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.MLNet.Components;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace Bus.MLNet.Training;

/// <summary>
/// Trains the pooled sequence classifier: one cross-entropy per row on the pooled logits
/// (<see cref="PooledLogits"/>), L = mean_b CE(z_b, y_b). Same schedule as Bus.Core's <see cref="Trainer"/>
/// (linear warm-up then linear decay of the optimizer's peak learning rate over the run, global-norm clipping, the configured
/// optimizer) and the same one-stage growth plan (at <see cref="BusTrainerOptions.GrowthEpoch"/> the growth operator
/// maps the start model to the final shape and the optimizer state is reset). It has its own loop because Bus.Core's
/// trainer takes only per-token losses; it does not support batch selectors (use <see cref="SequencePooling.PerToken"/>).
/// </summary>
internal static class PooledClassificationRun
{
    public static (GrowableTransformer Model, IReadOnlyList<MetricsRecord> History, IReadOnlyList<string> Log) Train(
        IReadOnlyList<long[]> inputs, IReadOnlyList<int> lengths, IReadOnlyList<long> labels, int classes,
        BusTrainerOptions options, IBusComponents components, ILogger logger)
    {
        var (startConfig, finalConfig) = ModelShapes.Of(options, classes);
        var device = BusDevice.Parse(options.Device);
        var (trainRows, devRows) = BusTrainingRun.Split(inputs.Count, options);
        using var train = Rows.On(device, trainRows, inputs, lengths, labels, options.MaxLength);
        using var dev = Rows.On(device, devRows, inputs, lengths, labels, options.MaxLength);

        int batch = Math.Min(options.BatchSize, train.Count);
        long stepsPerEpoch = Math.Max(1, train.Count / batch);
        long total = Math.Max(1, (long)Math.Ceiling(options.Epochs * stepsPerEpoch));
        long growAt = options.Grows ? (long)Math.Round(options.GrowthEpoch * stepsPerEpoch) : -1;
        long evalEvery = Math.Max(1, stepsPerEpoch / options.EvaluationsPerEpoch);
        var schedule = new LearningRateSchedule { WarmupFraction = options.WarmupFraction };
        var optimizerFactory = components.GetOptimizer(options.Optimizer);

        random.manual_seed(options.Seed);
        var model = GrowableTransformer.Create(startConfig, options.Seed, device);
        var optimizer = optimizerFactory.Create(model.parameters(), options.LearningRate, options.WeightDecay);
        // The factory owns each group's peak rate (Lion: the options' rate / 3, set once); every step multiplies it by the schedule.
        double[] peaks = Peaks(optimizer);
        var rng = new Random(unchecked((int)options.Seed) ^ 0x5EED);
        var order = Enumerable.Range(0, train.Count).ToArray();
        int cursor = train.Count; // forces a shuffle before the first batch
        var history = new List<MetricsRecord>();
        var log = new List<string>();
        var clock = new Stopwatch();
        double lossSum = 0, flops = 0, lastLoss = double.NaN;
        long lossCount = 0, samples = 0;

        MetricsRecord Record(long step, string? note)
        {
            var (devLoss, accuracy) = Evaluate(model, dev, options.Pooling, 4 * batch);
            var record = new MetricsRecord(step, (double)step / stepsPerEpoch, lossCount > 0 ? lossSum / lossCount : lastLoss, devLoss, accuracy,
                clock.Elapsed.TotalSeconds, flops, 0, samples, model.Config.DModel, model.Config.Layers, note);
            (lossSum, lossCount) = (0, 0);
            history.Add(record);
            logger.LogInformation("Bus step {Step}/{Total} (epoch {Epoch:F2}, d_model {DModel} x {Layers} layers): train loss {TrainLoss:F4}, dev loss {DevLoss:F4}, dev accuracy {DevAccuracy:F4}",
                step, total, record.Epoch, record.DModel, record.Layers, record.TrainLoss, devLoss, accuracy);
            return record;
        }

        try
        {
            for (long step = 0; step < total; step++)
            {
                if (step == growAt)
                {
                    var before = Record(step, "growth 1: before");
                    var growth = components.GetGrowthOperator(options.GrowthOperator);
                    GrowableTransformer grown;
                    using (var perToken = train.PerTokenDataset())
                        grown = growth.Grow(model, finalConfig, new GrowthContext(options.Seed, perToken, SequenceObjective.Classification, batch));
                    optimizer.Dispose(); // before the model: optimizers read their parameters when disposed
                    model.Dispose();
                    model = grown;
                    optimizer = optimizerFactory.Create(model.parameters(), options.LearningRate, options.WeightDecay);
                    peaks = Peaks(optimizer);
                    var after = Record(step, "growth 1: after");
                    string line = $"growth 1 ({growth.Name}): d_model {before.DModel} x {before.Layers} -> {after.DModel} x {after.Layers}, dev loss {before.DevLoss:F4} -> {after.DevLoss:F4}, dev accuracy {before.DevMetric:F4} -> {after.DevMetric:F4}";
                    log.Add(line);
                    logger.LogInformation("Bus {GrowthEvent}", line);
                }
                clock.Start();
                using (var scope = NewDisposeScope())
                {
                    if (cursor + batch > train.Count) { rng.Shuffle(order); cursor = 0; }
                    using var indices = tensor(order.AsSpan(cursor, batch).ToArray().Select(i => (long)i).ToArray(), dtype: ScalarType.Int64, device: device);
                    cursor += batch;
                    // Linear warm-up then linear decay (Bus.Core's LearningRateSchedule), keyed to the fraction of steps done.
                    double multiplier = schedule.Multiplier((double)step / total);
                    int index = 0;
                    foreach (var group in optimizer.ParamGroups)
                        group.LearningRate = peaks[Math.Min(index++, peaks.Length - 1)] * multiplier;
                    model.train();
                    var logits = model.forward(train.Inputs.index_select(0, indices));
                    // L = mean_b CE(pool(logits_b), y_b): one loss per row.
                    var loss = nn.functional.cross_entropy(PooledLogits.Pool(logits, train.Lengths.index_select(0, indices), options.Pooling), train.Labels.index_select(0, indices));
                    lastLoss = loss.item<float>();
                    if (!double.IsFinite(lastLoss)) throw new NonFiniteLossException(step + 1, lastLoss);
                    optimizer.zero_grad();
                    loss.backward();
                    if (options.GradientClip > 0) nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
                    optimizer.step();
                }
                clock.Stop();
                lossSum += lastLoss;
                lossCount++;
                samples += batch;
                flops += FlopCounter.Estimate(model.Config, new StepCost(batch, options.MaxLength, model.Config.Layers, false, optimizerFactory.Name));
                if ((step + 1) % evalEvery == 0 || step + 1 == total) Record(step + 1, null);
            }
            optimizer.Dispose();
            return (model, history, log);
        }
        catch
        {
            optimizer.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>Each param group's peak learning rate, as the optimizer factory set it in <paramref name="optimizer"/>.</summary>
    private static double[] Peaks(optim.Optimizer optimizer) => optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

    /// <summary>Mean pooled cross-entropy and accuracy on <paramref name="data"/>, in eval mode without gradients.</summary>
    private static (double Loss, double Accuracy) Evaluate(GrowableTransformer model, Rows data, SequencePooling pooling, int batchSize)
    {
        model.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, data.Count - start);
            var pooled = PooledLogits.Pool(model.forward(data.Inputs.narrow(0, start, count)), data.Lengths.narrow(0, start, count), pooling);
            var y = data.Labels.narrow(0, start, count);
            lossSum += nn.functional.cross_entropy(pooled, y, reduction: nn.Reduction.Sum).item<float>();
            correct += pooled.argmax(-1).eq(y).sum().item<long>();
        }
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>Encoded rows on a device: token ids [N, T], real-character counts [N] and labels [N] (int64).</summary>
    private sealed class Rows(Tensor inputs, Tensor lengths, Tensor labels) : IDisposable
    {
        public Tensor Inputs { get; } = inputs;
        public Tensor Lengths { get; } = lengths;
        public Tensor Labels { get; } = labels;
        public int Count => (int)Inputs.shape[0];

        public static Rows On(Device device, int[] rows, IReadOnlyList<long[]> inputs, IReadOnlyList<int> lengths, IReadOnlyList<long> labels, int length)
        {
            var x = new long[rows.Length * length];
            for (int r = 0; r < rows.Length; r++) Array.Copy(inputs[rows[r]], 0, x, r * length, length);
            return new Rows(
                tensor(x, [rows.Length, length], ScalarType.Int64).to(device).DetachFromDisposeScope(),
                tensor(rows.Select(r => (long)lengths[r]).ToArray(), ScalarType.Int64).to(device).DetachFromDisposeScope(),
                tensor(rows.Select(r => labels[r]).ToArray(), ScalarType.Int64).to(device).DetachFromDisposeScope());
        }

        /// <summary>The rows as a per-token dataset (every position labelled with its row's class), for learned growth operators.</summary>
        public SequenceDataset PerTokenDataset()
        {
            using var scope = NewDisposeScope();
            var targets = Labels.unsqueeze(1).expand(Inputs.shape[0], Inputs.shape[1]).contiguous();
            return new SequenceDataset(Inputs.clone(), targets);
        }

        public void Dispose()
        {
            Inputs.Dispose();
            Lengths.Dispose();
            Labels.Dispose();
        }
    }
}
