using Bus.Core.Tasks;
using Bus.Core.Tasks.CharLm;

namespace Bus.Growth.Lstm;

/// <summary>A minimal Adam loop and a bits-per-character evaluation for <see cref="CharLstm"/>.</summary>
public static class CharLstmTraining
{
    /// <summary>
    /// Runs <paramref name="steps"/> Adam steps on random batches (with replacement) and returns each step's loss (nats).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or the learning rate is not positive (steps may be 0).</exception>
    public static IReadOnlyList<double> Train(CharLstm model, SequenceDataset data, int steps, int batchSize, double learningRate,
        long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (!double.IsFinite(learningRate) || learningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate,
                $"learningRate must be positive, got {learningRate}.");
        model.train();
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        var random = new Random(unchecked((int)seed));
        var losses = new List<double>(steps);
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            using var index = tensor(Enumerable.Range(0, batchSize).Select(_ => (long)random.Next(data.Count)).ToArray());
            var (x, y) = data.Batch(index);
            optimizer.zero_grad();
            var loss = SequenceObjective.LanguageModel.Loss(model.forward(x.to(model.Device)), y.to(model.Device));
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        return losses;
    }

    /// <summary>Bits per character of <paramref name="model"/> on every window of <paramref name="data"/>.</summary>
    public static double BitsPerCharacter(CharLstm model, SequenceDataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        model.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long count = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var index = arange(start, Math.Min(start + batchSize, data.Count), dtype: int64);
            var (x, y) = data.Batch(index);
            var (s, n) = SequenceObjective.LanguageModel.MetricSum(model.forward(x.to(model.Device)), y.to(model.Device));
            sum += s;
            count += n;
        }
        return SequenceObjective.LanguageModel.Finish(sum, count);
    }
}
