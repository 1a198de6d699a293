namespace Bus.Interop.Tests;

/// <summary>
/// Issue 23: import reads Hugging Face folders as transformers (v4 and v5) and the Hub write them, and never trusts
/// config.json's sizes: every tensor is checked against config.json from the safetensors header before anything is
/// allocated, and weights must be finite.
/// </summary>
public sealed class HfImportTests(ITestOutputHelper output) : IDisposable
{
    private readonly List<TempDirectory> _folders = [];

    public void Dispose() => _folders.ForEach(f => f.Dispose());

    private string Folder()
    {
        var temp = new TempDirectory();
        _folders.Add(temp);
        return temp.Path;
    }

    private static TransformerConfig Gpt => Models.Decoder(dModel: 32, heads: 2, feedForwardSize: 16, layers: 2);

    private string ExportedGpt2(bool tied = false)
    {
        string dir = Folder();
        using var model = tied ? HfFolder.TiedGpt(Gpt, seed: 71) : Models.Random(Gpt, seed: 71);
        HuggingFaceCheckpoint.Save(model, dir);
        return dir;
    }

    private string ExportedLlama(bool tied = false, double theta = 10000)
    {
        string dir = Folder();
        using var model = Models.Random(Models.Llama(tied: tied, ropeTheta: theta), seed: 72);
        HuggingFaceCheckpoint.Save(model, dir);
        return dir;
    }

    private static Action Loading(string dir) => () => HuggingFaceCheckpoint.Load(dir).Dispose();

    [Fact]
    public void AHugeConfigOverASmallFolderIsRefusedFromTheHeaderWithoutAllocating()
    {
        string dir = ExportedGpt2();
        new DirectoryInfo(dir).EnumerateFiles().Sum(f => f.Length).Should().BeLessThan(60_000);
        HfFolder.EditConfig(dir, json => { json["n_embd"] = 16384; json["n_layer"] = 64; json["n_inner"] = 65536; });
        using var process = Process.GetCurrentProcess();
        long before = process.WorkingSet64;
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*tensor 'transformer.wte.weight' has shape [27, 32], but config.json implies [27, 16384]: " +
                         "config.json's n_embd = 16384 disagrees with dimension 1 (32).");
        process.Refresh();
        (process.PeakWorkingSet64 - before).Should()
            .BeLessThan(1L << 30, "a 16384-wide 64-layer model (tens of GB) must never be allocated");
    }

    [Fact]
    public void NPositionsOfTwoToThe31MinusOneIsRefusedNamingTheField()
    {
        string dir = ExportedGpt2();
        HfFolder.EditConfig(dir, json => json["n_positions"] = int.MaxValue);
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*'transformer.wpe.weight' has shape [8, 32]*n_positions = 2147483647 disagrees with dimension 0 (8)*");
    }

    [Fact]
    public void MoreLayersInTheConfigThanStoredAreRefusedNamingNLayer()
    {
        string dir = ExportedGpt2();
        HfFolder.EditConfig(dir, json => json["n_layer"] = 64);
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*stores 2 blocks but config.json's n_layer = 64: tensor 'transformer.h.2.ln_1.weight' is missing*");
        HfFolder.EditConfig(dir, json => json["n_layer"] = 1);
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*'transformer.h.1.*' is not part of a 1-layer GPT2LMHeadModel (config.json's n_layer = 1)*");
    }

    [Theory]
    [InlineData("num_key_value_heads", 1,
        "*'model.layers.0.self_attn.k_proj.weight' has shape [16, 32]*num_key_value_heads x head_dim = 8 disagrees with dimension 0 (16)*")]
    [InlineData("intermediate_size", 4096,
        "*'model.layers.0.mlp.gate_proj.weight' has shape [40, 32]*intermediate_size = 4096 disagrees with dimension 0 (40)*")]
    [InlineData("vocab_size", 128256,
        "*'model.embed_tokens.weight' has shape [27, 32]*vocab_size = 128256 disagrees with dimension 0 (27)*")]
    [InlineData("num_hidden_layers", 80, "*stores 2 blocks but config.json's num_hidden_layers = 80*")]
    public void LlamaSizesAreCheckedAgainstTheStoredShapes(string field, int value, string message)
    {
        string dir = ExportedLlama();
        HfFolder.EditConfig(dir, json => json[field] = value);
        Loading(dir).Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Theory]
    [InlineData("transformer.wte.weight", float.NaN, "1 NaN, 0 infinite")]
    [InlineData("transformer.h.1.mlp.c_fc.weight", float.PositiveInfinity, "0 NaN, 1 infinite")]
    [InlineData("lm_head.weight", float.NegativeInfinity, "0 NaN, 1 infinite")]
    public void NonFiniteWeightsAreRefusedNamingTheTensor(string name, float value, string counts)
    {
        string dir = ExportedGpt2();
        HfFolder.EditWeights(dir, t => t[name].view(-1)[5] = value);
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage($"*tensor '{name}' holds 1 non-finite values ({counts}, in float32; the first at flat index 5)*");
    }

    [Fact]
    public void AFloat64WeightOutsideTheFloat32RangeIsRefusedAsInfinite()
    {
        string dir = ExportedLlama();
        HfFolder.EditWeights(dir, t => { var w = t["model.norm.weight"].to_type(float64); w[0] = 1e300; t["model.norm.weight"] = w; });
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*'model.norm.weight' holds 1 non-finite values (0 NaN, 1 infinite, in float32*");
    }

    [Fact]
    public void TransformersV5RopeParametersAreRead()
    {
        string dir = ExportedLlama(theta: 500);
        HfFolder.EditConfig(dir, json =>
        {
            json.Remove("rope_theta");
            json.Remove("rope_scaling");
            json.Remove("torch_dtype");
            json["dtype"] = "float32";
            json["rope_parameters"] = new JsonObject { ["rope_theta"] = 500.0, ["rope_type"] = "default" };
        });
        using var original = Models.Random(Models.Llama(ropeTheta: 500), seed: 72);
        using var imported = HuggingFaceCheckpoint.Load(dir);
        imported.Config.RopeTheta.Should().Be(500);
        imported.Config.Should().Be(original.Config);
        HfFolder.LogitDifference(original, imported, 72).Should().BeLessThan(1e-6);
    }

    [Theory]
    [InlineData("{\"rope_type\": \"default\"}")]
    [InlineData("{\"type\": \"default\"}")]
    [InlineData("{\"rope_type\": \"default\", \"rope_theta\": 500.0}")]
    public void RopeScalingOfTypeDefaultIsNoScaling(string scaling)
    {
        string dir = ExportedLlama(theta: 500);
        HfFolder.EditConfig(dir, json => json["rope_scaling"] = JsonNode.Parse(scaling));
        using var imported = HuggingFaceCheckpoint.Load(dir);
        imported.Config.RopeTheta.Should().Be(500);
    }

    [Theory]
    [InlineData("rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8.0}", "*'rope_scaling.rope_type' = \"llama3\" is not supported*")]
    [InlineData("rope_parameters", "{\"rope_type\": \"yarn\", \"rope_theta\": 10000.0}",
        "*'rope_parameters.rope_type' = \"yarn\" is not supported*")]
    [InlineData("rope_parameters", "{\"rope_type\": \"default\", \"rope_theta\": 500.0}",
        "*'rope_parameters.rope_theta' = 500*disagrees with 'rope_theta' = 10000*")]
    [InlineData("rope_parameters", "{\"rope_type\": \"default\", \"partial_rotary_factor\": 0.5}",
        "*'rope_parameters.partial_rotary_factor' = 0.5*")]
    [InlineData("rope_parameters", "{\"rope_theta\": -1}", "*'rope_parameters.rope_theta' = -1 must be a positive number*")]
    [InlineData("rope_parameters", "[10000]", "*'rope_parameters' = [10000] must be an object*")]
    public void RopeFieldsBusCannotComputeAreRefusedNamingTheField(string field, string value, string message)
    {
        string dir = ExportedLlama();
        HfFolder.EditConfig(dir, json => json[field] = JsonNode.Parse(value));
        Loading(dir).Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void TheHubsOriginalGpt2NamesAndMaskBuffersLoad()
    {
        string dir = ExportedGpt2(tied: true);
        HfFolder.ToHubGpt2Layout(dir, layers: 2, positions: 8);
        using (var file = SafeTensorsFile.Load(Path.Combine(dir, HuggingFaceCheckpoint.WeightsFile)))
            file.Tensors.Keys.Should()
                .Contain(["wte.weight", "wpe.weight", "h.1.attn.c_attn.weight", "h.0.attn.bias", "h.0.attn.masked_bias", "ln_f.bias"])
                .And.NotContain(k => k.StartsWith("transformer.") || k == "lm_head.weight");
        using var original = HfFolder.TiedGpt(Gpt, seed: 71);
        using var imported = HuggingFaceCheckpoint.Load(dir);
        HfFolder.LogitDifference(original, imported, 71).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void AMaskBufferThatIsNotCausalIsRefusedNamingIt()
    {
        string dir = ExportedGpt2(tied: true);
        HfFolder.ToHubGpt2Layout(dir, layers: 2, positions: 8);
        HfFolder.EditWeights(dir, t => t["h.1.attn.bias"] = ones(1, 1, 8, 8));
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*buffer 'h.1.attn.bias' (shape [1, 1, 8, 8]) is not GPT-2's causal mask*");
    }

    [Fact]
    public void ANameStoredWithAndWithoutThePrefixIsRefused()
    {
        string dir = ExportedGpt2(tied: true);
        HfFolder.EditWeights(dir, t => t["wte.weight"] = t["transformer.wte.weight"].clone());
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*stores 'transformer.wte.weight' and 'wte.weight', both read as 'transformer.wte.weight'*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATiedGpt2ThatAlsoStoresAnIdenticalLmHeadLoads(bool hubNames)
    {
        string dir = ExportedGpt2(tied: true);
        if (hubNames) HfFolder.ToHubGpt2Layout(dir, layers: 2, positions: 8);
        string wte = hubNames ? "wte.weight" : "transformer.wte.weight";
        HfFolder.EditWeights(dir, t => t["lm_head.weight"] = t[wte].clone());
        using var original = HfFolder.TiedGpt(Gpt, seed: 71);
        using (var imported = HuggingFaceCheckpoint.Load(dir))
            HfFolder.LogitDifference(original, imported, 71).Should().BeLessThan(1e-6);

        HfFolder.EditWeights(dir, t => t["lm_head.weight"].view(-1)[7] += 1e-3f);
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage($"*tensor 'lm_head.weight' differs from '{wte}' (max |difference| 0.001*tie_word_embeddings true*");
    }

    [Fact]
    public void ATiedLlamaThatAlsoStoresAnIdenticalLmHeadLoads()
    {
        string dir = ExportedLlama(tied: true);
        HfFolder.EditWeights(dir, t => t["lm_head.weight"] = t["model.embed_tokens.weight"].clone());
        using var original = Models.Random(Models.Llama(tied: true), seed: 72);
        using (var imported = HuggingFaceCheckpoint.Load(dir))
            HfFolder.LogitDifference(original, imported, 72).Should().BeLessThan(1e-6);

        HfFolder.EditWeights(dir, t => t["lm_head.weight"] = t["lm_head.weight"] * 2);
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*tensor 'lm_head.weight' differs from 'model.embed_tokens.weight'*");
    }

    [Fact]
    public void AnUntiedHeadThatIsMissingNamesTieWordEmbeddings()
    {
        string dir = ExportedLlama(tied: false);
        HfFolder.EditWeights(dir, t => t.Remove("lm_head.weight"));
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage("*lacks tensor 'lm_head.weight' (expected shape [27, 32]), " +
                         "which config.json's tie_word_embeddings = false requires*");
    }

    [Fact]
    public void ShardedWeightsListedByTheIndexLoad()
    {
        string dir = ExportedLlama();
        Shard(dir);
        using var original = Models.Random(Models.Llama(), seed: 72);
        using (var imported = HuggingFaceCheckpoint.Load(dir))
            HfFolder.LogitDifference(original, imported, 72).Should().Be(0);

        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, HfWeightFilesIndex)))!;
        string holder = index["weight_map"]!["model.norm.weight"]!.GetValue<string>();
        index["weight_map"]!["model.norm.weight"] =
            holder.Contains("00001-") ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
        File.WriteAllText(Path.Combine(dir, HfWeightFilesIndex), index.ToJsonString());
        Loading(dir).Should().Throw<InvalidDataException>()
            .WithMessage($"*does not list tensor 'model.norm.weight' under '{holder}', which stores it*");
    }

    [Theory]
    [InlineData("gpt2", "hub")]
    [InlineData("llama", "v5")]
    public void PyTorchFoldersInTheHubAndV5LayoutsImportWithPyTorchLogits(string arch, string layout)
    {
        if (!PyTorch.Available(output)) return;
        string dir = Folder();
        PyTorch.Run(output, "interop_check.py", "make", dir, "--arch", arch, "--layout", layout, "--store-tied-head", "--seed", "9",
            "--n-kv-head", "2", "--n-inner", "56", "--rope-theta", "1000");
        using var model = HuggingFaceCheckpoint.Load(dir);
        if (arch == "llama") model.Config.RopeTheta.Should().Be(1000);
        double difference = Models.CompareWithProbe(model, Path.Combine(dir, "probe.safetensors"));
        RoundTripTable.Row(output, arch == "llama" ? "Llama" : "GPT-2",
            $"PyTorch reference -> Bus ({(layout == "hub" ? "Hub names, mask buffers" : "v5 rope_parameters")}, tied head also stored)",
            difference);
        difference.Should().BeLessThan(1e-4);
    }

    private const string HfWeightFilesIndex = "model.safetensors.index.json";

    // Splits model.safetensors into two shards and writes the index as transformers' save_pretrained does.
    private static void Shard(string dir)
    {
        string single = Path.Combine(dir, HuggingFaceCheckpoint.WeightsFile);
        var map = new JsonObject();
        using (var file = SafeTensorsFile.Load(single))
        {
            var names = file.Tensors.Keys.Order(StringComparer.Ordinal).ToList();
            for (int s = 0; s < 2; s++)
            {
                string shard = $"model-0000{s + 1}-of-00002.safetensors";
                var part = names.Where((_, i) => i % 2 == s).ToDictionary(n => n, n => file.Tensors[n]);
                SafeTensorsFile.Save(Path.Combine(dir, shard), part, new Dictionary<string, string> { ["format"] = "pt" });
                foreach (var n in part.Keys) map[n] = shard;
            }
        }
        File.Delete(single);
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = 0 }, ["weight_map"] = map };
        File.WriteAllText(Path.Combine(dir, HfWeightFilesIndex), index.ToJsonString());
    }
}
