namespace Bus.Core.Tests.IO;

public class SafeTensorsByteLayoutTests
{
    // Names are written sorted ("b" before "w"), offsets are contiguous, metadata comes first.
    private const string ExpectedJson =
        "{\"__metadata__\":{\"step\":\"7\"}," +
        "\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}," +
        "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[3,11]}}";

    private static byte[] ExpectedBytes()
    {
        // The JSON is 135 bytes; one space pads it to 136 = 0x88, a multiple of 8.
        byte[] prefix = [0x88, 0, 0, 0, 0, 0, 0, 0];
        byte[] header = Encoding.ASCII.GetBytes(ExpectedJson + " ");
        byte[] data =
        [
            1, 2, 3,                // b: U8 [1, 2, 3]
            0x00, 0x00, 0x80, 0x3F, // w[0] = 1.0f little-endian
            0x00, 0x00, 0x00, 0xC0, // w[1] = -2.0f little-endian
        ];
        return [.. prefix, .. header, .. data];
    }

    [Fact]
    public void SaveWritesExactlyTheExpectedBytes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("tiny.safetensors");
        using var w = tensor(new[] { 1f, -2f });
        using var b = tensor(new byte[] { 1, 2, 3 });

        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["w"] = w, ["b"] = b },
            new Dictionary<string, string> { ["step"] = "7" });

        ExpectedJson.Length.Should().Be(135);
        File.ReadAllBytes(path).Should().Equal(ExpectedBytes());
    }

    [Fact]
    public void LoadReadsHandBuiltBytes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("hand.safetensors");
        File.WriteAllBytes(path, ExpectedBytes());

        using var content = SafeTensorsFile.Load(path);

        content.Metadata.Should().Equal(new Dictionary<string, string> { ["step"] = "7" });
        content.Tensors["w"].data<float>().ToArray().Should().Equal(1f, -2f);
        content.Tensors["b"].data<byte>().ToArray().Should().Equal(1, 2, 3);
    }
}
