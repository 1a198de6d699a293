namespace Bus.Interop.Tests;

/// <summary>
/// Bus Llama-style decoder &lt;-&gt; Hugging Face LlamaForCausalLM (q/k/v/o, gate/up/down, RMSNorm, rotate_half RoPE,
/// grouped-query attention, tied or untied head), within Bus and against scripts/python/hf_llama.py.
/// </summary>
public class LlamaInteropTests(ITestOutputHelper output)
{
    private const double Rtol = 1e-4;

    [Theory]
    [InlineData(false, 10000.0)]
    [InlineData(true, 500.0)]
    public void RoundTripThroughTheHfFolderKeepsLogits(bool tied, double theta)
    {
        using var temp = new TempDirectory();
        var config = Models.Llama(kvHeads: 2, tied: tied, ropeTheta: theta);
        using var model = Models.Random(config, seed: 51);
        HuggingFaceCheckpoint.Save(model, temp.Path);
        using (var file = SafeTensorsFile.Load(Path.Combine(temp.Path, HuggingFaceCheckpoint.WeightsFile)))
        {
            file.Tensors["model.layers.1.self_attn.k_proj.weight"].shape.Should().Equal(16, 32); // kv_heads 2 x head_dim 8
            file.Tensors["model.layers.0.mlp.gate_proj.weight"].shape.Should().Equal(40, 32);
            file.Tensors.ContainsKey("lm_head.weight").Should().Be(!tied);
            file.Tensors.Keys.Should().NotContain(k => k.EndsWith(".bias"));
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Path, HuggingFaceCheckpoint.ConfigFile)))!;
        json["model_type"]!.GetValue<string>().Should().Be("llama");
        json["num_key_value_heads"]!.GetValue<int>().Should().Be(2);
        json["rope_theta"]!.GetValue<double>().Should().Be(theta);
        json["tie_word_embeddings"]!.GetValue<bool>().Should().Be(tied);

        using var back = HuggingFaceCheckpoint.Load(temp.Path);
        back.Config.Should().Be(config);
        double difference = HfFolder.LogitDifference(model, back, 51);
        if (!tied) RoundTripTable.Row(output, "Llama", "Bus -> HF folder -> Bus", difference);
        difference.Should().BeLessThan(1e-6);
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public void BusLlamaRunsInReferencePyTorchLlamaWithBusLogits(bool tied, int kvHeads)
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        var config = Models.Llama(kvHeads: kvHeads, tied: tied);
        using var model = Models.Random(config, seed: 53);
        HuggingFaceCheckpoint.Save(model, temp.Path);
        using var tokens = Models.Tokens(config, 53);
        using var logits = Models.Logits(model, tokens);
        string probe = Path.Combine(temp.Path, "bus-probe.safetensors");
        Models.WriteProbe(probe, tokens, logits);
        string result = PyTorch.Run(output, "interop_check.py", "verify", temp.Path, "--probe", probe, "--rtol", $"{Rtol}");
        result.Should().StartWith("ok");
        RoundTripTable.Row(output, "Llama", $"Bus -> PyTorch reference (GQA {config.Heads}/{kvHeads}, {(tied ? "tied" : "untied")} head)", RoundTripTable.RelativeFrom(result));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PyTorchLlamaImportsIntoBusWithPyTorchLogits(bool untied)
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        PyTorch.Run(output, "interop_check.py", ["make", temp.Path, "--arch", "llama", "--seed", "7", "--n-embd", "32", "--n-head", "4",
            "--n-kv-head", "2", "--n-inner", "56", "--n-layer", "2", "--rope-theta", "1000", .. (untied ? new[] { "--untied" } : [])]);
        using var model = HuggingFaceCheckpoint.Load(temp.Path);
        model.Config.Architecture.Should().Be(ModelArchitecture.Llama);
        model.Config.KvHeads.Should().Be(2);
        model.Config.TieEmbeddings.Should().Be(!untied);
        double difference = Models.CompareWithProbe(model, Path.Combine(temp.Path, "probe.safetensors"));
        RoundTripTable.Row(output, "Llama", $"PyTorch reference -> Bus (GQA 4/2, {(untied ? "untied" : "tied")} head)", difference);
        difference.Should().BeLessThan(Rtol);
    }
}
