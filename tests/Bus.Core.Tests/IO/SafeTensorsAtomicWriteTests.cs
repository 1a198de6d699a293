using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Bus.Core.Tests.IO;

public class SafeTensorsAtomicWriteTests
{
    [Fact]
    public void SaveOverExistingFileReplacesItAndLeavesNoTempFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        using var old = zeros(4);
        using var fresh = ones(8);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["x"] = old });

        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["x"] = fresh });

        using var loaded = SafeTensorsFile.Load(path);
        TensorAssert.Same(loaded.Tensors["x"], fresh).Should().BeTrue();
        Directory.GetFiles(dir.Path).Should().Equal(path);
    }

    [Fact]
    public void FailureWhileWritingKeepsTheOldFileAndRemovesTheTempFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        using var a = ones(3);
        using var b = ones(3);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["a"] = a });
        byte[] before = File.ReadAllBytes(path);
        var failing = new FailingDictionary(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }, failOn: "b");

        var act = () => SafeTensorsFile.Save(path, failing);

        act.Should().Throw<IOException>().WithMessage("*simulated crash*");
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(dir.Path).Should().Equal(path);
    }

    /// <summary>Enumerates normally but throws when the writer fetches <c>failOn</c>, i.e. mid-write.</summary>
    private sealed class FailingDictionary(Dictionary<string, Tensor> inner, string failOn) : IReadOnlyDictionary<string, Tensor>
    {
        public Tensor this[string key] => key == failOn ? throw new IOException("simulated crash") : inner[key];
        public IEnumerable<string> Keys => inner.Keys;
        public IEnumerable<Tensor> Values => inner.Values;
        public int Count => inner.Count;
        public bool ContainsKey(string key) => inner.ContainsKey(key);
        public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => inner.TryGetValue(key, out value);
        public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => inner.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
