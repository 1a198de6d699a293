using Bus.Core.Data;
using Bus.Core.Tasks.Corpora;

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
            "--nproc", "2", "--steps", "40", "--batch", "8", "--lr", "3e-3", "--seed", "41", "--require-lower-loss");

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

    /// <summary>
    /// docs/scale-out.md's own command (its flags read from the page, steps cut to 12 for time) on a model that has
    /// already been trained (40 DDP steps at 3e-3 first): exit 0, identical ranks, the page's peak LR and warm-up used.
    /// Before, the page's command ended in "FAIL" and exit 1 on a trained model because the held-out loss rose.
    /// </summary>
    [Fact]
    public void TheScaleOutPagesCommandRunsOnATrainedModel()
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        string exported = Path.Combine(temp.Path, "exported"), trained = Path.Combine(temp.Path, "trained");
        string continued = Path.Combine(temp.Path, "continued"), corpus = Path.Combine(temp.Path, "brown.bustok");
        BusTok.Write(corpus, CharVocabulary.Encode(BuiltInCorpus.BrownSlice()), CharVocabulary.Alphabet, "brown-slice.txt");
        var config = new TransformerConfig { Mode = ModelMode.Decoder, VocabSize = 27, MaxLength = 16, DModel = 32, Heads = 4, FeedForwardSize = 64, Layers = 2 };
        using (var model = GrowableTransformer.Create(config, seed: 7)) HuggingFaceCheckpoint.Save(model, exported);
        PyTorch.Run(output, "ddp_continue.py", "--model", exported, "--corpus", corpus, "--out", trained,
            "--nproc", "2", "--steps", "40", "--batch", "8", "--lr", "3e-3", "--seed", "7");

        var flags = PageFlags();
        flags["--steps"] = "12";
        flags["--warmup"] = "2";
        var args = new List<string> { "--model", trained, "--corpus", corpus, "--out", continued };
        foreach (var (name, value) in flags) args.AddRange([name, value]);
        PyTorch.Run(output, "ddp_continue.py", [.. args]);

        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(continued, "training_state.json")));
        var s = state.RootElement;
        s.GetProperty("max_weight_difference_between_ranks").GetDouble().Should().Be(0);
        s.GetProperty("world_size").GetInt32().Should().Be(int.Parse(flags["--nproc"]));
        s.GetProperty("schedule").GetProperty("peak_lr").GetDouble().Should().Be(double.Parse(flags["--lr"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The flags of the first `ddp_continue.py` command in docs/scale-out.md (except --model/--corpus/--out).</summary>
    private static Dictionary<string, string> PageFlags()
    {
        string page = File.ReadAllText(Path.Combine(PyTorch.ScriptsDirectory, "..", "..", "docs", "scale-out.md"));
        int start = page.IndexOf("scripts/python/ddp_continue.py --model", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "docs/scale-out.md shows the ddp_continue.py command");
        int end = page.IndexOf("```", start, StringComparison.Ordinal);
        var words = page[start..end].Replace("\\", " ").Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(w => w != "bus").Skip(1).ToArray();
        var flags = new Dictionary<string, string>();
        for (int i = 0; i + 1 < words.Length; i += 2)
            if (words[i] is not ("--model" or "--corpus" or "--out")) flags[words[i]] = words[i + 1];
        flags.Should().ContainKeys("--nproc", "--lr", "--steps");
        return flags;
    }
}
