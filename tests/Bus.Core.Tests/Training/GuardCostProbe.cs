namespace Bus.Core.Tests.Training;

/// <summary>
/// Not a test: a measurement of the non-finite guard's per-step work (gradient norm, copy before the step, finiteness
/// after it) on the bench-trainer shape (1 layer, 1 head, d_ff = 4d), the current guard against the per-parameter guard
/// it replaced (issue 20, item 8; copied below from commit 5525b29), in alternating blocks of 200 passes. It asserts
/// nothing and runs only with <c>BUS_GUARD_PROBE=1</c>:
/// <c>BUS_GUARD_PROBE=1 dotnet test tests/Bus.Core.Tests -c Release --filter GuardCostProbe --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class GuardCostProbe(ITestOutputHelper output)
{
    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    public void Probe(int d)
    {
        if (Environment.GetEnvironmentVariable("BUS_GUARD_PROBE") != "1") return;
        var config = new TransformerConfig { DModel = d, FeedForwardSize = 4 * d, Heads = 1, Layers = 1, MaxLength = 20 };
        using var model = GrowableTransformer.Create(config, 0);
        using (var x = randint(0, config.VocabSize, [64, 20]))
            model.forward(x).sum().backward();
        var parameters = model.parameters().ToList();
        var previous = new PreviousGuard();
        var current = new NonFiniteGuard(NonFiniteLossPolicy.Stop);
        var olds = new List<double>();
        var news = new List<double>();
        for (int block = 0; block < 15; block++)
        {
            olds.Add(Time(() =>
            {
                PreviousGuard.GradientNorm(parameters);
                previous.SaveWeights(parameters);
                PreviousGuard.AllFinite(parameters);
            }));
            news.Add(Time(() =>
            {
                NonFiniteGuard.GradientNorm(parameters);
                current.SaveWeights(parameters);
                NonFiniteGuard.UpdateIsFinite(parameters);
            }));
        }
        current.Release();
        double o = Median(olds), n = Median(news);
        long elements = parameters.Sum(p => p.numel());
        output.WriteLine($"d={d}: {parameters.Count} parameters, {elements:N0} elements, {get_num_threads()} threads; "
            + $"previous guard {o * 1000:F0} us/step, current guard {n * 1000:F0} us/step, ratio {o / n:F1} (medians of 15 blocks)");
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static double Time(Action step)
    {
        for (int i = 0; i < 5; i++) step();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 200; i++) step();
        return watch.Elapsed.TotalMilliseconds / 200;
    }

    /// <summary>The guard's per-step work before issue 20: one or two native calls per parameter.</summary>
    private sealed class PreviousGuard
    {
        private Tensor[] _before = [];

        public static double GradientNorm(IEnumerable<Parameter> parameters)
        {
            using var scope = NewDisposeScope();
            var norms = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!.detach().to(float64).norm()).ToArray();
            return norms.Length == 0 ? 0 : stack(norms).norm().item<double>();
        }

        public void SaveWeights(IReadOnlyList<Parameter> parameters)
        {
            using var noGrad = no_grad();
            if (_before.Length != parameters.Count
                || _before.Zip(parameters).Any(t => !t.First.shape.SequenceEqual(t.Second.shape)
                    || t.First.device.type != t.Second.device.type))
            {
                foreach (var t in _before) t.Dispose();
                _before = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
                return;
            }
            for (int i = 0; i < parameters.Count; i++) _before[i].copy_(parameters[i]);
        }

        public static bool AllFinite(IEnumerable<Tensor> tensors)
        {
            using var scope = NewDisposeScope();
            var flags = tensors.Where(t => t.is_floating_point()).Select(t => isfinite(t).all()).ToArray();
            return flags.Length == 0 || stack(flags).all().item<bool>();
        }
    }
}
