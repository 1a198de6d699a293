namespace Bus.Core.Training.CostModel;

/// <summary>
/// Measures a <see cref="CostTable"/> on this machine (the "reference system"): for every layer count, batch
/// size and optimizer, the median wall-clock of <c>repeats</c> timed passes after warm-up, for a
/// forward+backward+clip+optimizer step and (optionally) a no-grad forward-only scoring pass. The table is
/// validated (full grid, positive, monotone unless disabled) before it is returned.
/// </summary>
public static class CostTableCalibrator
{
    /// <summary>Measures the cost of <paramref name="config"/> at each batch size and layer count with each optimizer.</summary>
    /// <exception cref="InvalidDataException">Measured costs are not monotone and <see cref="CostCalibrationOptions.RequireMonotone"/> is
    /// set.</exception>
    public static CostTable Calibrate(TransformerConfig config, IReadOnlyList<int> batchSizes, IReadOnlyList<int> layerCounts,
        IReadOnlyList<IOptimizerFactory> optimizers, int repeats, CostCalibrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentNullException.ThrowIfNull(batchSizes);
        ArgumentNullException.ThrowIfNull(layerCounts);
        ArgumentNullException.ThrowIfNull(optimizers);
        if (batchSizes.Count == 0 || batchSizes.Any(b => b <= 0))
            throw new ArgumentException($"Batch sizes must be positive and at least one: [{string.Join(", ", batchSizes)}].",
                nameof(batchSizes));
        if (layerCounts.Count == 0 || layerCounts.Any(l => l <= 0))
            throw new ArgumentException($"Layer counts must be positive and at least one: [{string.Join(", ", layerCounts)}].",
                nameof(layerCounts));
        if (optimizers.Count == 0 || optimizers.Any(o => o is null))
            throw new ArgumentException("At least one optimizer factory is needed.", nameof(optimizers));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        options ??= new CostCalibrationOptions();
        int length = options.SequenceLength ?? config.MaxLength;
        if (length > config.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(options), length,
                $"Sequence length exceeds the config's MaxLength {config.MaxLength}.");
        var device = BusDevice.Parse(options.Device);

        var entries = new List<CostTableEntry>();
        foreach (int layers in layerCounts.Distinct().Order())
        {
            using var model = GrowableTransformer.Create(config with { Layers = layers }, options.Seed, device);
            foreach (int batch in batchSizes.Distinct().Order())
            {
                using var x = randint(config.VocabSize, [batch, length], dtype: int64, device: device);
                using var y = randint(model.Config.OutputSize, [batch, length], dtype: int64, device: device);
                if (options.IncludeForwardOnly)
                    entries.Add(new(batch, layers, null, true, Median(repeats, options.Warmup, device, () => ForwardOnly(model, x, y))));
                foreach (var factory in optimizers)
                {
                    using var optimizer = factory.Create(model.parameters(), 1e-4, 0.01);
                    entries.Add(new(batch, layers, factory.Name, false,
                        Median(repeats, options.Warmup, device, () => TrainingStep(model, optimizer, x, y, options.GradientClip))));
                }
            }
        }
        string reference = $"{options.Device} ({Environment.ProcessorCount} logical cores), {config.Describe()}, " +
                           $"mode={config.Mode}, sequence length {length}, {repeats} repeats after {options.Warmup} warm-up, "
                               + $"{DateTime.UtcNow:yyyy-MM-dd}";
        return new CostTable(length, entries, reference).Validate(options.RequireMonotone);
    }

    private static void ForwardOnly(GrowableTransformer model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.train();
        var loss = nn.functional.cross_entropy(model.forward(x).flatten(0, 1), y.flatten(), reduction: nn.Reduction.None);
        loss.sum().item<float>();
    }

    private static void TrainingStep(GrowableTransformer model, optim.Optimizer optimizer, Tensor x, Tensor y, double clip)
    {
        using var scope = NewDisposeScope();
        model.train();
        var loss = nn.functional.cross_entropy(model.forward(x).flatten(0, 1), y.flatten());
        loss.item<float>();
        optimizer.zero_grad();
        loss.backward();
        if (clip > 0) nn.utils.clip_grad_norm_(model.parameters(), clip);
        optimizer.step();
    }

    private static double Median(int repeats, int warmup, Device device, Action pass)
    {
        for (int i = 0; i < warmup; i++) pass();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            Synchronize(device);
            long start = Stopwatch.GetTimestamp();
            pass();
            Synchronize(device);
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : 0.5 * (times[repeats / 2 - 1] + times[repeats / 2]);
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
