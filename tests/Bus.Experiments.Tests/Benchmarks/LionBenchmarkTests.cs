using Bus.Experiments.Benchmarks;
using TorchSharp;

namespace Bus.Experiments.Tests.Benchmarks;

/// <summary>The Lion benchmark's state accounting (moved from Bus.Optimizers.Tests with the benchmark).</summary>
public class LionBenchmarkTests
{
    [Fact]
    public void LionStateIsHalfOfAdamWState()
    {
        using var model = nn.Sequential(("a", nn.Linear(16, 32)), ("b", nn.Linear(32, 8)));
        var ps = model.parameters().ToList();
        using var lion = new Lion(ps);
        using var adamw = torch.optim.AdamW(ps);
        var paramBytes = ps.Sum(p => p.NumberOfElements * p.ElementSize);

        LionBenchmark.StateBytes(lion).Should().Be(paramBytes);
        LionBenchmark.StateBytes(adamw).Should().Be(2 * LionBenchmark.StateBytes(lion));
    }
}
