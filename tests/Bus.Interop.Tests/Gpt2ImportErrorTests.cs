namespace Bus.Interop.Tests;

/// <summary>Import refuses folders Bus cannot compute faithfully, naming the field or tensor.</summary>
public sealed class Gpt2ImportErrorTests : IDisposable
{
    private readonly List<TempDirectory> _folders = [];

    public void Dispose() => _folders.ForEach(f => f.Dispose());

    private string ExportedFolder()
    {
        var temp = new TempDirectory();
        _folders.Add(temp);
        string dir = temp.Path;
        using var model = Models.Random(Models.Decoder(dModel: 32, heads: 2, feedForwardSize: 16, layers: 1), seed: 11);
        HuggingFaceCheckpoint.Save(model, dir);
        return dir;
    }

    private static void EditConfig(string dir, Action<JsonObject> edit) => HfFolder.EditConfig(dir, edit);

    private static void EditWeights(string dir, Action<Dictionary<string, Tensor>> edit) => HfFolder.EditWeights(dir, edit);

    /// <summary>Loading <paramref name="dir"/> throws InvalidDataException with a message matching <paramref name="message"/>.</summary>
    private static void LoadIsRefused(string dir, string message) =>
        FluentActions.Invoking(() => HuggingFaceCheckpoint.Load(dir)).Should().Throw<InvalidDataException>().WithMessage(message);

    [Fact]
    public void MissingConfigFieldIsNamed()
    {
        string dir = ExportedFolder();
        EditConfig(dir, json => json.Remove("n_layer"));
        LoadIsRefused(dir, "*required field 'n_layer' is missing*");
    }

    [Fact]
    public void WrongTensorShapeIsNamed()
    {
        string dir = ExportedFolder();
        EditWeights(dir, t => t["transformer.h.0.attn.c_attn.weight"] = zeros(96, 32)); // the [out, in] orientation, not Conv1D's [in, out]
        LoadIsRefused(dir, "*'transformer.h.0.attn.c_attn.weight' has shape [96, 32]*implies [32, 96]*");
    }

    [Fact]
    public void MissingAndUnknownTensorsAreNamed()
    {
        string dir = ExportedFolder();
        EditWeights(dir, t => t.Remove("transformer.h.0.mlp.c_fc.bias"));
        LoadIsRefused(dir, "*lacks tensor 'transformer.h.0.mlp.c_fc.bias' (expected shape [16])*");

        dir = ExportedFolder();
        EditWeights(dir, t => t["transformer.h.1.ln_1.weight"] = ones(32));
        LoadIsRefused(dir, "*'transformer.h.1.ln_1.weight' is not part of a 1-layer GPT2LMHeadModel*");
    }

    [Fact]
    public void MaskBuffersOfOlderCheckpointsAreIgnored()
    {
        string dir = ExportedFolder();
        EditWeights(dir, t => t["transformer.h.0.attn.bias"] = ones(8, 8).tril().reshape(1, 1, 8, 8));
        using var model = HuggingFaceCheckpoint.Load(dir);
        model.Config.Layers.Should().Be(1);
    }

    [Fact]
    public void MissingFolderAndFilesAreReported()
    {
        var noFolder = () => HuggingFaceCheckpoint.Load("/nonexistent/bus-model");
        noFolder.Should().Throw<DirectoryNotFoundException>().WithMessage("*'/nonexistent/bus-model'*");
        string dir = ExportedFolder();
        File.Delete(Path.Combine(dir, HuggingFaceCheckpoint.WeightsFile));
        var noWeights = () => HuggingFaceCheckpoint.Load(dir);
        noWeights.Should().Throw<FileNotFoundException>().WithMessage("*model.safetensors*");
    }

    [Fact]
    public void ProbeWithoutTokensOrWithTheWrongShapeIsRefused()
    {
        string dir = ExportedFolder();
        using var model = HuggingFaceCheckpoint.Load(dir);
        string probe = Path.Combine(dir, "probe.safetensors");
        SafeTensorsFile.Save(probe, new Dictionary<string, Tensor> { ["logits"] = zeros(1, 8, 27) });
        var noTokens = () => LogitProbe.Compare(model, probe);
        noTokens.Should().Throw<InvalidDataException>().WithMessage("*needs tensors 'tokens' and 'logits'*");

        SafeTensorsFile.Save(probe, new Dictionary<string, Tensor> { ["tokens"] = zeros([1, 8], int64), ["logits"] = zeros(1, 8, 5) });
        var wrongShape = () => LogitProbe.Compare(model, probe);
        wrongShape.Should().Throw<InvalidDataException>().WithMessage("*logits have shape [1, 8, 5], the model gives [1, 8, 27]*");
    }
}
