namespace Bus.Interop.Tests;

/// <summary>Bus GPT-style decoder &lt;-&gt; Hugging Face GPT2LMHeadModel folder, checked without Python.</summary>
public class Gpt2ExportTests(ITestOutputHelper output)
{
    [Fact]
    public void ExportUsesGpt2NamesAndConv1DOrientation()
    {
        using var temp = new TempDirectory();
        string dir = temp.Path;
        using var model = Models.Random(Models.Decoder(dModel: 8, heads: 2, feedForwardSize: 12, layers: 1, vocab: 5), seed: 1);
        HuggingFaceCheckpoint.Save(model, dir, new() { Vocabulary = "abcde" });

        using var file = SafeTensorsFile.Load(Path.Combine(dir, HuggingFaceCheckpoint.WeightsFile));
        // The GPT2LMHeadModel state_dict of a 1-layer model (HF modeling_gpt2.py), untied head.
        file.Tensors.Keys.Order().Should().Equal(new[]
        {
            "lm_head.weight",
            "transformer.h.0.attn.c_attn.bias", "transformer.h.0.attn.c_attn.weight",
            "transformer.h.0.attn.c_proj.bias", "transformer.h.0.attn.c_proj.weight",
            "transformer.h.0.ln_1.bias", "transformer.h.0.ln_1.weight", "transformer.h.0.ln_2.bias", "transformer.h.0.ln_2.weight",
            "transformer.h.0.mlp.c_fc.bias", "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.bias", "transformer.h.0.mlp.c_proj.weight",
            "transformer.ln_f.bias", "transformer.ln_f.weight", "transformer.wpe.weight", "transformer.wte.weight",
        }.Order());
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var cAttn = file.Tensors["transformer.h.0.attn.c_attn.weight"];
        cAttn.shape.Should().Equal(8, 24); // Conv1D: [in, out] = [d, 3d]
        // Element by element: c_attn.weight[i, j] = q.weight[j, i] for j < d, k.weight[j - d, i], v.weight[j - 2d, i].
        foreach (var (i, j) in new[] { (0, 0), (3, 5), (7, 8), (2, 13), (5, 16), (6, 23) })
        {
            string source = j < 8 ? "attn.q.weight" : j < 16 ? "attn.k.weight" : "attn.v.weight";
            cAttn[i, j].item<float>().Should().Be(p[ParameterNames.Block(0, source)][j % 8, i].item<float>());
        }
        file.Tensors["transformer.h.0.attn.c_attn.bias"][9].item<float>().Should().Be(p[ParameterNames.Block(0, "attn.k.bias")][1].item<float>());
        file.Tensors["transformer.h.0.mlp.c_fc.weight"].shape.Should().Equal(8, 12);
        file.Tensors["transformer.h.0.mlp.c_fc.weight"][6, 10].item<float>().Should().Be(p[ParameterNames.Block(0, "mlp.fc1.weight")][10, 6].item<float>());
        file.Tensors["transformer.h.0.mlp.c_proj.weight"].shape.Should().Equal(12, 8);

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, HuggingFaceCheckpoint.ConfigFile)));
        var root = config.RootElement;
        root.GetProperty("model_type").GetString().Should().Be("gpt2");
        root.GetProperty("architectures")[0].GetString().Should().Be("GPT2LMHeadModel");
        root.GetProperty("activation_function").GetString().Should().Be("gelu");
        root.GetProperty("n_embd").GetInt32().Should().Be(8);
        root.GetProperty("n_inner").GetInt32().Should().Be(12);
        root.GetProperty("n_positions").GetInt32().Should().Be(8);
        root.GetProperty("tie_word_embeddings").GetBoolean().Should().BeFalse();
        HuggingFaceCheckpoint.LoadVocabulary(dir).Should().Be("abcde");
    }

    [Fact]
    public void HeadBiasIsCarriedExactlyByTheFinalNormBias()
    {
        using var temp = new TempDirectory();
        string dir = temp.Path;
        using var model = Models.Random(Models.Decoder(), seed: 2);
        HuggingFaceCheckpoint.Save(model, dir);
        using var file = SafeTensorsFile.Load(Path.Combine(dir, HuggingFaceCheckpoint.WeightsFile));
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        // W (beta' - beta) must equal the head bias c, so W beta' = W beta + c for every input.
        using var w = p[ParameterNames.HeadWeight].detach().to_type(float64);
        using var shift = file.Tensors["transformer.ln_f.bias"].to_type(float64) - p[ParameterNames.FinalNormBias].detach().to_type(float64);
        using var carried = matmul(w, shift);
        Models.RelativeDifference(carried, p[ParameterNames.HeadBias].detach()).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void RoundTripThroughTheHfFolderKeepsLogits()
    {
        using var temp = new TempDirectory();
        string dir = temp.Path;
        var config = Models.Decoder(dModel: 32, heads: 4, feedForwardSize: 40, layers: 3);
        using var model = Models.Random(config, seed: 3);
        HuggingFaceCheckpoint.Save(model, dir);
        using var back = HuggingFaceCheckpoint.Load(dir);
        back.Config.Should().Be(config with { Dropout = 0 });
        HuggingFaceCheckpoint.LoadVocabulary(dir).Should().Be(" abcdefghijklmnopqrstuvwxyz"); // the text8 alphabet by default
        double difference = HfFolder.LogitDifference(model, back, 3);
        RoundTripTable.Row(output, "GPT-2", "Bus -> HF folder -> Bus (head bias folded into ln_f)", difference);
        difference.Should().BeLessThan(1e-5);
    }

    [Fact]
    public void TiedHeadIsStoredOnceAndReadBackTied()
    {
        using var temp = new TempDirectory();
        string dir = temp.Path;
        var config = Models.Decoder();
        using var model = Models.Random(config, seed: 4);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad())
        {
            p[ParameterNames.HeadWeight].copy_(p[ParameterNames.TokenEmbedding]);
            p[ParameterNames.HeadBias].zero_();
        }
        HuggingFaceCheckpoint.Save(model, dir);
        using (var file = SafeTensorsFile.Load(Path.Combine(dir, HuggingFaceCheckpoint.WeightsFile)))
            file.Tensors.Should().NotContainKey("lm_head.weight");
        File.ReadAllText(Path.Combine(dir, HuggingFaceCheckpoint.ConfigFile)).Should().Contain("\"tie_word_embeddings\": true");
        using var back = HuggingFaceCheckpoint.Load(dir);
        HfFolder.LogitDifference(model, back, 4).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void EncoderIsRefusedAndNothingIsWritten()
    {
        using var temp = new TempDirectory();
        string dir = Path.Combine(temp.Path, "out");
        using var encoder = GrowableTransformer.Create(Models.Decoder() with { Mode = ModelMode.Encoder, Classes = 3 }, 5);
        var act = () => HuggingFaceCheckpoint.Save(encoder, dir);
        act.Should().Throw<ArgumentException>().WithMessage("*encoder*3-class*Nothing was written*").And.ParamName.Should().Be("model");
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public void HeadBiasThatNoFinalNormBiasCanCarryIsRefused()
    {
        // vocabulary 40 > d_model 16: a random head bias is not in the column space of W.
        using var temp = new TempDirectory();
        using var model = Models.Random(Models.Decoder(dModel: 16, heads: 2, feedForwardSize: 16, vocab: 40), seed: 6);
        var act = () => HuggingFaceCheckpoint.Save(model, temp.Path, new() { Vocabulary = string.Concat(Enumerable.Range(0, 40).Select(i => (char)('A' + i))) });
        act.Should().Throw<ArgumentException>().WithMessage("*head.bias*lm_head has no bias*vocabulary 40 > d_model 16*");

        using (no_grad()) model.named_parameters().Single(x => x.name == ParameterNames.HeadBias).parameter.zero_();
        string dir = temp.Path;
        HuggingFaceCheckpoint.Save(model, dir); // zero bias: nothing to carry, and no vocab.json for a 40-symbol model without a vocabulary
        File.Exists(Path.Combine(dir, HuggingFaceCheckpoint.VocabularyFile)).Should().BeFalse();
    }

    [Fact]
    public void VocabularyOfTheWrongLengthIsRefused()
    {
        using var model = Models.Random(Models.Decoder(), seed: 7);
        using var temp = new TempDirectory();
        var act = () => HuggingFaceCheckpoint.Save(model, temp.Path, new() { Vocabulary = "abc" });
        act.Should().Throw<ArgumentException>().WithMessage("*3 symbols*vocabulary size is 27*");
        var repeated = () => new HuggingFaceExportOptions { Vocabulary = "aba" };
        repeated.Should().Throw<ArgumentException>().WithMessage("*repeats*").And.ParamName.Should().Be("Vocabulary");
    }
}
