using FluentAssertions;
using Xunit;

namespace Bus.Core.Tests.Training;

public class ConstantScalarsTests
{
    [Fact]
    public void AConstantIsOneRootedScalarThatOutlivesCollections()
    {
        var first = ConstantScalars.Of(RmsNorm.Epsilon);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ConstantScalars.Of(RmsNorm.Epsilon).Should().BeSameAs(first);
        using var zero = zeros(3);
        using var sum = zero.add(first);
        sum.data<float>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately(1e-6f, 1e-12f));
    }

    [Fact]
    public void NegativeAndPositiveZeroStayApart()
    {
        ConstantScalars.Of(-0.0).Should().NotBeSameAs(ConstantScalars.Of(0.0));
    }

    [Fact]
    public void RmsNormUsesTheHandComputedFormula()
    {
        // y = g ⊙ x / sqrt(mean(x²) + ε): x = [3, 4], mean(x²) = 12.5
        using var x = tensor(new float[] { 3, 4 });
        using var g = tensor(new float[] { 1, 2 });
        using var y = RmsNorm.Normalise(x, g);
        double r = Math.Sqrt(12.5 + RmsNorm.Epsilon);
        var got = y.data<float>().ToArray();
        got[0].Should().BeApproximately((float)(3 / r), 1e-6f * (float)(3 / r));
        got[1].Should().BeApproximately((float)(8 / r), 1e-6f * (float)(8 / r));
    }
}
