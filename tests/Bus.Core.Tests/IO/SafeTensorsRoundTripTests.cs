namespace Bus.Core.Tests.IO;

public class SafeTensorsRoundTripTests
{
    // A private seeded generator: no draw from torch's process-global one (which bitwise tests seed).
    private static Dictionary<string, Tensor> EveryDType() => EveryDType(new Generator(17));

    private static Dictionary<string, Tensor> EveryDType(Generator g) => new()
    {
        ["f32"] = randn(new long[] { 3, 4 }, generator: g),
        ["f64"] = randn(new long[] { 2, 3 }, ScalarType.Float64, generator: g),
        ["f16"] = randn(new long[] { 5 }, generator: g).to(ScalarType.Float16),
        ["bf16"] = randn(new long[] { 2, 2, 2 }, generator: g).to(ScalarType.BFloat16),
        ["i64"] = tensor(new[] { long.MinValue, -1L, 0L, long.MaxValue }).reshape(2, 2),
        ["i32"] = tensor(new[] { int.MinValue, -7, 0, int.MaxValue }),
        ["i16"] = tensor(new short[] { short.MinValue, -3, 9, short.MaxValue }).reshape(4, 1),
        ["i8"] = tensor(new sbyte[] { sbyte.MinValue, -1, 0, sbyte.MaxValue }),
        ["u8"] = tensor(new byte[] { 0, 1, 128, 255 }).reshape(1, 2, 2),
        ["bool"] = tensor(new[] { true, false, false, true, true }),
        ["scalar"] = tensor(3.25f),
        ["empty"] = zeros(0, 3),
        ["transposed"] = arange(6, ScalarType.Float32).reshape(2, 3).t(),
    };

    [Fact]
    public void EveryDTypeShapeValueAndMetadataSurvive()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        string path = dir.File("all.safetensors");
        var tensors = EveryDType();
        var metadata = new Dictionary<string, string> { ["step"] = "42", ["note"] = "üñí \"quoted\" <tag> +" };

        SafeTensorsFile.Save(path, tensors, metadata);
        using var loaded = SafeTensorsFile.Load(path);

        loaded.Metadata.Should().Equal(metadata);
        loaded.Tensors.Keys.Should().BeEquivalentTo(tensors.Keys);
        foreach (var (name, original) in tensors)
        {
            var copy = loaded.Tensors[name];
            copy.dtype.Should().Be(original.dtype, name);
            copy.shape.Should().Equal(original.shape, name);
            copy.device_type.Should().Be(DeviceType.CPU);
            TensorAssert.Same(copy, original).Should().BeTrue($"tensor '{name}' values must be identical");
        }
    }

    [Fact]
    public void ReadHeaderGivesEveryNameDTypeAndShapeWithoutLoadingAndRefusesWhatLoadRefuses()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        string path = dir.File("header.safetensors");
        var tensors = EveryDType();
        SafeTensorsFile.Save(path, tensors);

        var header = SafeTensorsFile.ReadHeader(path);
        header.Tensors.Select(t => t.Name).Should().BeEquivalentTo(tensors.Keys);
        foreach (var info in header.Tensors)
        {
            info.DType.ToScalarType().Should().Be(tensors[info.Name].dtype, info.Name);
            info.Shape.Should().Equal(tensors[info.Name].shape, info.Name);
        }

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]); // one data byte short
        var read = () => SafeTensorsFile.ReadHeader(path);
        read.Should().Throw<SafeTensorsFormatException>().WithMessage("*header.safetensors*");
    }

    [Fact]
    public void LoadOnExplicitCpuDeviceAndNoMetadata()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        string path = dir.File("plain.safetensors");
        var original = arange(10, ScalarType.Int32);

        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["x"] = original });
        using var loaded = SafeTensorsFile.Load(path, CPU);

        loaded.Metadata.Should().BeEmpty();
        TensorAssert.Same(loaded.Tensors["x"], original).Should().BeTrue();
    }

    [Fact]
    public void SaveIsDeterministic()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDirectory();
        var tensors = EveryDType();
        var reversed = tensors.Reverse().ToDictionary(kv => kv.Key, kv => kv.Value);

        SafeTensorsFile.Save(dir.File("a"), tensors);
        SafeTensorsFile.Save(dir.File("b"), reversed);

        File.ReadAllBytes(dir.File("a")).Should().Equal(File.ReadAllBytes(dir.File("b")));
    }

    [Fact]
    public void DisposingContentDisposesTensors()
    {
        using var dir = new TempDirectory();
        string path = dir.File("d.safetensors");
        using (var t = ones(2))
        {
            SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["t"] = t });
        }

        var loaded = SafeTensorsFile.Load(path);
        var tensor = loaded.Tensors["t"];
        loaded.Dispose();

        tensor.IsInvalid.Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("__metadata__")]
    public void SaveRejectsReservedOrEmptyNames(string name)
    {
        using var dir = new TempDirectory();
        using var t = ones(1);

        var act = () => SafeTensorsFile.Save(dir.File("x"), new Dictionary<string, Tensor> { [name] = t });

        act.Should().Throw<ArgumentException>().WithParameterName("tensors").Which.Message.Should().Contain($"'{name}'");
    }

    [Fact]
    public void SaveRejectsUnsupportedDType()
    {
        using var dir = new TempDirectory();
        using var t = zeros(new long[] { 2 }, ScalarType.ComplexFloat32);

        var act = () => SafeTensorsFile.Save(dir.File("x"), new Dictionary<string, Tensor> { ["c"] = t });

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'c'").And.Contain("ComplexFloat32");
        Directory.GetFiles(dir.Path).Should().BeEmpty();
    }
}
