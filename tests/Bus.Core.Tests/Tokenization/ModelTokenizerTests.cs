using Bus.Core.Model;
using Bus.Core.Tokenization;

namespace Bus.Core.Tests.Tokenization;

/// <summary>A model file records its tokenizer (<see cref="ModelTokenizer"/>) and rebuilds it from the file alone.</summary>
public class ModelTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-model-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TransformerConfig Tiny(int vocab) => new()
    {
        Mode = ModelMode.Decoder, VocabSize = vocab, MaxLength = 8, DModel = 8, FeedForwardSize = 16, Heads = 2, Layers = 1, Dropout = 0,
    };

    [Fact]
    public void ABuiltInTokenizerIsRecordedByNameAndRebuilt()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        using (var model = GrowableTransformer.Create(Tiny(320), seed: 1))
            ModelCheckpoint.Save(model, path, ModelTokenizer.Of(ByteTokenizer.Instance).ToMetadata());
        var recorded = ModelTokenizer.Read(path)!;
        recorded.Identity.Should().Be(ByteTokenizer.Instance.Identity);
        recorded.Spec.Should().Be("byte");
        recorded.VocabularySize.Should().Be(257);
        recorded.Files.Should().BeEmpty();
        recorded.Create().Should().BeSameAs(ByteTokenizer.Instance);
        using var loaded = ModelCheckpoint.Load(path); // the metadata does not disturb loading
        loaded.Config.VocabSize.Should().Be(320);
    }

    [Fact]
    public void AFileTokenizerTravelsInsideTheModelFile()
    {
        string hf = Directory.CreateDirectory(Path.Combine(_dir, "hf")).FullName;
        File.WriteAllText(Path.Combine(hf, "vocab.json"), "{\"a\": 0, \"b\": 1, \"ab\": 2, \"<|endoftext|>\": 3}");
        File.WriteAllText(Path.Combine(hf, "merges.txt"), "#version: 0.2\na b\n");
        var tokenizer = TextTokenizers.Create("hf:" + hf);
        string path = Path.Combine(_dir, "m.safetensors");
        using (var model = GrowableTransformer.Create(Tiny(64), seed: 1))
            ModelCheckpoint.Save(model, path, ModelTokenizer.Of(tokenizer).ToMetadata());
        Directory.Delete(hf, recursive: true); // the original files are gone: the model file alone rebuilds the tokenizer
        var recorded = ModelTokenizer.Read(path)!;
        recorded.Spec.Should().Be("hf:" + hf);
        recorded.Files.Keys.Should().BeEquivalentTo("vocab.json", "merges.txt");
        var rebuilt = recorded.Create();
        rebuilt.Identity.Should().Be(tokenizer.Identity);
        rebuilt.Encode("abba").Should().Equal(2, 1, 0);
    }

    [Fact]
    public void AModelSavedWithoutARecordHasNone()
    {
        string path = Path.Combine(_dir, "old.safetensors");
        using (var model = GrowableTransformer.Create(Tiny(27), seed: 1)) ModelCheckpoint.Save(model, path);
        ModelTokenizer.Read(path).Should().BeNull();
    }

    [Theory]
    [InlineData("{", "*'m.safetensors'*bus.tokenizer*")]
    [InlineData("{\"sha256\":\"ab\",\"vocabulary_size\":3}", "*no name*")]
    [InlineData("{\"name\":\"byte\",\"sha256\":\"ab\",\"vocabulary_size\":0}", "*vocabulary_size 0*")]
    [InlineData("{\"name\":\"hf\",\"sha256\":\"ab\",\"vocabulary_size\":3,\"files\":[\"../x\"]}", "*file '../x' is none of*")]
    [InlineData("{\"name\":\"hf\",\"sha256\":\"ab\",\"vocabulary_size\":3,\"files\":[\"tokenizer.json\"]}",
        "*bus.tokenizer.file/tokenizer.json' is missing*")]
    public void AMalformedRecordIsNamed(string json, string expected)
    {
        var act = () => ModelTokenizer.FromMetadata(new Dictionary<string, string> { [ModelTokenizer.MetadataKey] = json },
            "m.safetensors");
        act.Should().Throw<InvalidDataException>().WithMessage(expected);
    }

    [Fact]
    public void ARecordWhoseFilesAreAnotherVocabularyIsRefused()
    {
        var record = ModelTokenizer.Of(ByteTokenizer.Instance) with { Identity = new("gpt2", new string('0', 64)) };
        var act = () => record.Create();
        act.Should().Throw<InvalidDataException>().WithMessage("*gpt2 sha256 0000000000000000*rebuilds as gpt2 sha256*");
        var nothing = new ModelTokenizer { Identity = new("sentencepiece", "ab"), VocabularySize = 3, Spec = "sentencepiece:/gone" };
        nothing.CanCreate.Should().BeFalse();
        ((Action)(() => nothing.Create())).Should().Throw<InvalidDataException>().WithMessage("*no recorded files*");
    }
}
