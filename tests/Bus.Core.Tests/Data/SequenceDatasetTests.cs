namespace Bus.Core.Tests.Data;

public class SequenceDatasetTests
{
    private static SequenceDataset Make(int n, int t) =>
        new(arange(n * t, ScalarType.Int64).reshape(n, t), arange(n * t, ScalarType.Int64).reshape(n, t).neg());

    [Fact]
    public void ExposesCountAndSequenceLength()
    {
        using var data = Make(4, 3);
        data.Count.Should().Be(4);
        data.SequenceLength.Should().Be(3);
        data.Inputs.shape.Should().Equal(4L, 3L);
        data.Targets.dtype.Should().Be(ScalarType.Int64);
    }

    [Fact]
    public void BatchSelectsRowsOfBoth()
    {
        using var data = Make(4, 3);
        using var scope = NewDisposeScope();
        var (inputs, targets) = data.Batch(tensor(new long[] { 2, 0 }));
        inputs.data<long>().ToArray().Should().Equal(6L, 7L, 8L, 0L, 1L, 2L);
        targets.data<long>().ToArray().Should().Equal(-6L, -7L, -8L, 0L, -1L, -2L);
    }

    [Fact]
    public void SliceIsANewDatasetThatOutlivesTheCallersScope()
    {
        using var data = Make(5, 2);
        SequenceDataset slice;
        using (NewDisposeScope())
            slice = data.Slice([4, 1, 1]);
        using (slice)
        {
            slice.Count.Should().Be(3);
            slice.Inputs.data<long>().ToArray().Should().Equal(8L, 9L, 2L, 3L, 2L, 3L);
        }
    }

    [Fact]
    public void DatasetOwnsTensorsCreatedInsideAScope()
    {
        SequenceDataset data;
        using (NewDisposeScope())
            data = Make(2, 2);
        using (data)
            data.Inputs.data<long>().ToArray().Should().Equal(0L, 1L, 2L, 3L);
    }

    [Fact]
    public void ConstructorValidatesDtypeRankAndShape()
    {
        using var scope = NewDisposeScope();
        var good = zeros(2, 3, ScalarType.Int64);
        FluentActions.Invoking(() => new SequenceDataset(zeros(2, 3), good)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "inputs");
        FluentActions.Invoking(() => new SequenceDataset(zeros(6, ScalarType.Int64), good)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "inputs");
        FluentActions.Invoking(() => new SequenceDataset(good, zeros(2, 3, ScalarType.Int32))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "targets");
        FluentActions.Invoking(() => new SequenceDataset(good, zeros(3, 2, ScalarType.Int64))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "targets");
    }

    [Fact]
    public void BatchValidatesIndices()
    {
        using var data = Make(3, 2);
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => data.Batch(tensor(new long[] { 3 }))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "indices");
        FluentActions.Invoking(() => data.Batch(tensor(new long[] { -1 }))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "indices");
        FluentActions.Invoking(() => data.Batch(zeros(2))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "indices");
        FluentActions.Invoking(() => data.Slice([0, 7])).Should().Throw<ArgumentException>().Where(e => e.ParamName == "indices");
    }

    [Fact]
    public void UseAfterDisposeThrows()
    {
        var data = Make(2, 2);
        data.Dispose();
        data.Dispose();   // idempotent
        FluentActions.Invoking(() => data.Count).Should().Throw<ObjectDisposedException>();
    }
}
