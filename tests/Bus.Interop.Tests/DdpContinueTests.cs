using System.Text.Json;
using Bus.Core.Data;
using Bus.Core.Interop;
using Bus.Core.Model;
using Xunit.Abstractions;

namespace Bus.Interop.Tests;

/// <summary>
/// The scale-out path: a Bus model exported in the HF layout continues training in PyTorch DistributedDataParallel (gloo,
/// 2 processes on loopback) on a .bustok token stream, and the result imports back into Bus with PyTorch's logits.
/// </summary>
public class DdpContinueTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ModelArchitecture.Gpt)]
    [InlineData(ModelArchitecture.Llama)]
    public void TwoGlooRanksContinueTrainingAndTheResultImportsBackIntoBus(ModelArchitecture architecture)
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        string exported = Path.Combine(temp.Path, "exported"), continued = Path.Combine(temp.Path, "continued");
        string corpus = Path.Combine(temp.Path, "brown.bustok");
        BusTok.Write(corpus, CharVocabulary.Encode(BuiltInCorpus.BrownSlice()), CharVocabulary.Alphabet, "brown-slice.txt");
        var config = new TransformerConfig { Mode = ModelMode.Decoder, VocabSize = 27, MaxLength = 16, DModel = 32, Heads = 4, FeedForwardSize = 64, Layers = 2 };
        if (architecture == ModelArchitecture.Llama) config = config with { Architecture = architecture, KvHeads = 2, TieEmbeddings = true };
        using (var model = GrowableTransformer.Create(config, seed: 41)) HuggingFaceCheckpoint.Save(model, exported);

        PyTorch.Run(output, "ddp_continue.py", "--model", exported, "--corpus", corpus, "--out", continued,
            "--nproc", "2", "--steps", "40", "--batch", "8", "--seed", "41");

        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(continued, "training_state.json")));
        var s = state.RootElement;
        s.GetProperty("world_size").GetInt32().Should().Be(2);
        s.GetProperty("max_weight_difference_between_ranks").GetDouble().Should().Be(0);
        s.GetProperty("held_out_loss_after").GetDouble().Should().BeLessThan(s.GetProperty("held_out_loss_before").GetDouble());
        using var back = HuggingFaceCheckpoint.Load(continued);
        back.Config.Should().Be(config);
        HuggingFaceCheckpoint.LoadVocabulary(continued).Should().Be(CharVocabulary.Alphabet);
        double difference = Models.CompareWithProbe(back, Path.Combine(continued, "probe.safetensors"));
        RoundTripTable.Row(output, architecture == ModelArchitecture.Llama ? "Llama" : "GPT-2", "PyTorch DDP (2 gloo ranks, 40 steps) -> Bus", difference);
        difference.Should().BeLessThan(1e-4);
    }
}
