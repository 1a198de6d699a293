namespace Bus.Core.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void TensorOpsRunOnThisMachine()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = a.matmul(a);
        b.data<float>().ToArray().Should().Equal(7f, 10f, 15f, 22f);
    }
}
