namespace Bus.Core.Tests.Model;

public class ModelCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-ckpt-").FullName;

    [Fact]
    public void RoundTripKeepsConfigWeightsAndOutputs()
    {
        var config = new TransformerConfig { DModel = 16, Heads = 2, FeedForwardSize = 24, Layers = 2, MaxLength = 10, Mode = ModelMode.Decoder };
        using var model = GrowableTransformer.Create(config, seed: 5);
        string path = Path.Combine(_dir, "m.safetensors");
        ModelCheckpoint.Save(model, path, new Dictionary<string, string> { ["note"] = "hello" });

        using var loaded = ModelCheckpoint.Load(path);
        loaded.Config.Should().Be(config);
        model.eval(); loaded.eval();
        using var tokens = randint(0, 27, [2, 10], dtype: int64);
        using var a = model.forward(tokens);
        using var b = loaded.forward(tokens);
        a.allclose(b, 0, 0).Should().BeTrue("weights are copied bit for bit");

        using var content = SafeTensorsFile.Load(path);
        content.Metadata["note"].Should().Be("hello");
        content.Metadata[ModelCheckpoint.FormatKey].Should().Be(ModelCheckpoint.Format);
        content.Tensors.Keys.Should().Contain(["tok_emb.weight", "blocks.1.attn.q.weight", "head.bias"]);
    }

    [Fact]
    public void SafetensorsWithoutBusConfigIsRejected()
    {
        string path = Path.Combine(_dir, "plain.safetensors");
        using var t = ones(2);
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
        var act = () => ModelCheckpoint.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*bus.config*");
    }

    [Fact]
    public void TruncatedCheckpointIsRejectedWithFormatError()
    {
        using var model = GrowableTransformer.Create(new TransformerConfig { DModel = 8, FeedForwardSize = 8 }, seed: 1);
        string path = Path.Combine(_dir, "t.safetensors");
        ModelCheckpoint.Save(model, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        var act = () => ModelCheckpoint.Load(path);
        act.Should().Throw<SafeTensorsFormatException>();
    }

    /// <summary>Issue 23: a weight retyped F32 -> I32 was converted by copy_ (every weight truncated); it is refused naming it.</summary>
    [Fact]
    public void ARetypedWeightIsRefusedNamingTheTensorAndBothDTypes()
    {
        using var model = GrowableTransformer.Create(new TransformerConfig { DModel = 8, FeedForwardSize = 8 }, seed: 1);
        string path = Path.Combine(_dir, "retyped.safetensors");
        ModelCheckpoint.Save(model, path);
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        using (var content = SafeTensorsFile.Load(path))
        {
            tensors = content.Tensors.ToDictionary(kv => kv.Key, kv => kv.Key == "head.bias" ? kv.Value.to(ScalarType.Int32) : kv.Value.clone());
            metadata = content.Metadata.ToDictionary();
        }

        SafeTensorsFile.Save(path, tensors, metadata);
        foreach (var t in tensors.Values) t.Dispose();
        var act = () => ModelCheckpoint.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': tensor 'head.bias' has dtype I32; the model parameter's is F32.");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
