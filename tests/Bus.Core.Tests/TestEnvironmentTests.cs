namespace Bus.Core.Tests;

public class TestEnvironmentTests
{
    [Fact]
    public void TestProcessesUseOneTorchThread() =>
        TorchSharp.torch.get_num_threads().Should().Be(1, "tests/test.runsettings sets OMP_NUM_THREADS=1 for every test process");
}
