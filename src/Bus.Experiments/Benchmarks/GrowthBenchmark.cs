namespace Bus.Experiments.Benchmarks;

/// <summary>One row of <see cref="GrowthBenchmark.Run"/>: what one growth costs next to one training step of the grown model.</summary>
/// <param name="Operator">Operator name.</param>
/// <param name="SourceDModel">d_model before growth.</param>
/// <param name="TargetDModel">d_model after growth (d_ff = 4 d_model on both sides).</param>
/// <param name="TargetParameters">Parameters of the grown model.</param>
/// <param name="GrowMs">Median wall-clock milliseconds of <see cref="IGrowthOperator.Grow"/>.</param>
/// <param name="StepMs">Median wall-clock milliseconds of one AdamW training step (forward, backward, step) of the grown model, after one
/// untimed step.</param>
/// <param name="Repeats">Timed repetitions behind each median.</param>
public sealed record GrowthBenchmarkRow(string Operator, int SourceDModel, int TargetDModel, long TargetParameters, double GrowMs,
    double StepMs, int Repeats);

/// <summary>
/// Cost of the growth operation itself, measured side by side with one training step of the grown model (same
/// process, same shapes), so a report can say "growing costs N steps". Not a unit test; a CLI prints the rows.
/// </summary>
public static class GrowthBenchmark
{
    /// <summary>Times every operator on every width pair d -> 2d (encoder, 2 heads, d_ff = 4d, sequence 20, 27 symbols).</summary>
    /// <param name="operators">Width operators to time; null: BUS identity, FPI width (random and round-robin), spectral.</param>
    /// <param name="sourceWidths">Source d_model values; null: 64 and 128 (64 -> 128 and 128 -> 256).</param>
    /// <param name="layers">Blocks of both models.</param>
    /// <param name="repeats">Timed repetitions (after one untimed warm-up), at least 1.</param>
    /// <param name="batchSize">Batch size of the timed training step.</param>
    /// <param name="seed">Seed for weights, data and operators.</param>
    /// <param name="device">Device; CPU when null.</param>
    public static IReadOnlyList<GrowthBenchmarkRow> Run(IReadOnlyList<IGrowthOperator>? operators = null,
        IReadOnlyList<int>? sourceWidths = null, int layers = 2, int repeats = 5, int batchSize = 32, long seed = 0, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        operators ??= [new BusIdentityExpansion(), new FunctionPreservingWidth(),
            new FunctionPreservingWidth(new() { Mapping = UnitMapping.RoundRobin }), new SpectralGrowth()];
        sourceWidths ??= [64, 128];
        var rows = new List<GrowthBenchmarkRow>();
        foreach (int d in sourceWidths)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(d, 2, nameof(sourceWidths));
            var source = new TransformerConfig { VocabSize = 27, MaxLength = 20, DModel = d, Heads = 2, FeedForwardSize = 4 * d,
                Layers = layers };
            var target = source with { DModel = 2 * d, FeedForwardSize = 8 * d };
            using var small = GrowableTransformer.Create(source, seed, device);
            foreach (var op in operators)
            {
                op.Validate(source, target);
                var growTimes = new List<double>();
                var stepTimes = new List<double>();
                long parameters = 0;
                for (int r = 0; r <= repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    using var grown = op.Grow(small, target, new GrowthContext(seed + r));
                    double growMs = clock.Elapsed.TotalMilliseconds;
                    double stepMs = StepMilliseconds(grown, batchSize, seed + r);
                    parameters = grown.ParameterCount;
                    if (r == 0) continue; // warm-up
                    growTimes.Add(growMs);
                    stepTimes.Add(stepMs);
                }
                rows.Add(new GrowthBenchmarkRow(op.Name, d, 2 * d, parameters, Median(growTimes), Median(stepTimes), repeats));
            }
        }
        return rows;
    }

    private static double StepMilliseconds(GrowableTransformer model, int batchSize, long seed)
    {
        using var optimizer = optim.AdamW(model.parameters(), 1e-3);
        var generator = new Generator(unchecked((ulong)seed), model.Device);
        using var scope = NewDisposeScope();
        var tokens = randint(model.Config.VocabSize, [batchSize, model.Config.MaxLength], generator: generator, dtype: int64,
            device: model.Device);
        var labels = randint(model.Config.OutputSize, [batchSize, model.Config.MaxLength], generator: generator, dtype: int64,
            device: model.Device);
        model.train();
        double elapsed = 0;
        for (int step = 0; step < 2; step++) // the first step warms the allocator; the second is timed
        {
            using var stepScope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.zero_grad();
            var logits = model.forward(tokens);
            var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), labels.view(-1));
            loss.backward();
            optimizer.step();
            if (model.Device.type == DeviceType.CUDA) cuda.synchronize(model.Device);
            elapsed = clock.Elapsed.TotalMilliseconds;
        }
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
