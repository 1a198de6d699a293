using TorchSharp.Modules;

namespace Bus.Experiments.Benchmarks;

/// <summary>One row of <see cref="LionBenchmark.Run"/>: an optimizer's step cost and state memory.</summary>
/// <param name="Optimizer">Optimizer name ("Lion" or "AdamW").</param>
/// <param name="StepTimeMeanMs">Mean wall-clock milliseconds of one <c>step()</c> over the measured steps.</param>
/// <param name="StepTimeMedianMs">Median step time in milliseconds (robust to scheduler noise on shared machines).</param>
/// <param name="StepTimeStdMs">Sample standard deviation of the step time in milliseconds.</param>
/// <param name="StateBytes">Bytes of optimizer state tensors.</param>
/// <param name="ParameterCount">Number of scalar parameters optimized.</param>
/// <param name="MeasuredSteps">Number of timed steps.</param>
public sealed record OptimizerBenchmarkRow(
    string Optimizer, double StepTimeMeanMs, double StepTimeMedianMs, double StepTimeStdMs, long StateBytes, long ParameterCount,
        int MeasuredSteps);

/// <summary>
/// Side-by-side micro-benchmark of <see cref="Lion"/> and <see cref="Muon"/> against TorchSharp's AdamW: step time and
/// state memory on identical parameter sets, in one process, with warm-up and interleaved timing.
/// Not a unit test; a CLI prints the rows.
/// </summary>
public static class LionBenchmark
{
    /// <summary>
    /// Builds two identical stacks of <paramref name="layers"/> <c>nn.Linear(width, width)</c> (float32, CPU),
    /// computes one set of gradients, then times <c>step()</c> of Lion, AdamW and Muon in turn (Muon through
    /// <see cref="MuonFactory"/>: Newton-Schulz on the weight matrices, AdamW on the biases).
    /// </summary>
    /// <param name="width">Width of each square linear layer (default 512: 262,656 parameters per layer).</param>
    /// <param name="layers">Number of layers (default 8: about 2.1M parameters).</param>
    /// <param name="warmupSteps">Untimed steps per optimizer before measuring.</param>
    /// <param name="steps">Timed steps per optimizer.</param>
    /// <param name="seed">Seed for weights and inputs.</param>
    /// <returns>One row for Lion, one for AdamW, then one for Muon.</returns>
    public static IReadOnlyList<OptimizerBenchmarkRow> Run(int width = 512, int layers = 8, int warmupSteps = 5, int steps = 50,
        long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);

        using var lionModel = BuildModel(width, layers, seed);
        using var adamModel = BuildModel(width, layers, seed);
        using var muonModel = BuildModel(width, layers, seed);
        var lionParams = lionModel.parameters().ToList();
        var adamParams = adamModel.parameters().ToList();
        using var lion = new Lion(lionParams, lr: 1e-4, weight_decay: 0.1);
        using var adamw = torch.optim.AdamW(adamParams, lr: 1e-3, weight_decay: 0.01);
        using var muon = (Muon)new MuonFactory().Create(muonModel.named_parameters().Select(p => (p.name, p.parameter)), 1e-3, 0.01);

        var lionTimes = new double[steps];
        var adamTimes = new double[steps];
        var muonTimes = new double[steps];
        for (var i = 0; i < warmupSteps + steps; i++)
        {
            var tLion = TimeStep(() => lion.step());
            var tAdam = TimeStep(() => adamw.step());
            var tMuon = TimeStep(() => muon.step());
            if (i < warmupSteps) continue;
            lionTimes[i - warmupSteps] = tLion;
            adamTimes[i - warmupSteps] = tAdam;
            muonTimes[i - warmupSteps] = tMuon;
        }

        var count = lionParams.Sum(p => p.NumberOfElements);
        return
        [
            Row("Lion", lionTimes, StateBytes(lion), count),
            Row("AdamW", adamTimes, StateBytes(adamw), count),
            Row("Muon", muonTimes, StateBytes(muon), count),
        ];
    }

    /// <summary>
    /// Bytes of optimizer state tensors for <see cref="Lion"/> (exp_avg), <see cref="Muon"/> and TorchSharp AdamW
    /// (exp_avg, exp_avg_sq, and max_exp_avg_sq when amsgrad).
    /// </summary>
    /// <param name="optimizer">A Lion, Muon or AdamW optimizer.</param>
    /// <returns>The total bytes of state tensors.</returns>
    /// <exception cref="NotSupportedException">Another optimizer type.</exception>
    public static long StateBytes(OptimizerHelper optimizer) => optimizer switch
    {
        Lion lion => lion.StateBytes,
        Muon muon => muon.StateBytes,
        AdamW adamw => adamw.state_dict().State.Cast<AdamW.State>()
            .Sum(s => Bytes(s.exp_avg) + Bytes(s.exp_avg_sq) + Bytes(s.max_exp_avg_sq)),
        null => throw new ArgumentNullException(nameof(optimizer)),
        _ => throw new NotSupportedException($"State size of {optimizer.GetType().Name} is not known."),
    };

    private static long Bytes(Tensor? t) => t is null ? 0 : t.NumberOfElements * t.ElementSize;

    private static Sequential BuildModel(int width, int layers, long seed)
    {
        torch.manual_seed(seed);
        var modules = Enumerable.Range(0, layers)
            .Select(i => ($"linear{i}", (nn.Module<Tensor, Tensor>)nn.Linear(width, width)))
            .ToArray();
        var model = nn.Sequential(modules);
        using var scope = NewDisposeScope();
        var x = torch.randn(32, width);
        model.forward(x).square().mean().backward();
        return model;
    }

    private static double TimeStep(Action step)
    {
        var sw = Stopwatch.StartNew();
        step();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static OptimizerBenchmarkRow Row(string name, double[] times, long stateBytes, long parameterCount)
    {
        var mean = times.Average();
        var std = times.Length > 1 ? Math.Sqrt(times.Sum(t => (t - mean) * (t - mean)) / (times.Length - 1)) : 0;
        var sorted = times.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new OptimizerBenchmarkRow(name, mean, median, std, stateBytes, parameterCount, times.Length);
    }
}
