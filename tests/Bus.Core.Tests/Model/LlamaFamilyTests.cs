namespace Bus.Core.Tests.Model;

public class LlamaFamilyTests
{
    private static readonly TransformerConfig Llama = new()
    {
        Architecture = ModelArchitecture.Llama, VocabSize = 13, DModel = 16, Heads = 4, KvHeads = 2, FeedForwardSize = 24, Layers = 2, MaxLength = 10,
        Mode = ModelMode.Decoder,
    };

    [Fact]
    public void ParametersAreBiasFreeWithGroupedKeyValues()
    {
        using var model = new GrowableTransformer(Llama);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var expected = new Dictionary<string, long[]> { ["tok_emb.weight"] = [13, 16], ["ln_f.weight"] = [16], ["head.weight"] = [13, 16] };
        for (int l = 0; l < 2; l++)
        {
            expected[$"blocks.{l}.ln1.weight"] = [16];
            expected[$"blocks.{l}.attn.q.weight"] = [16, 16];
            expected[$"blocks.{l}.attn.k.weight"] = [8, 16]; // 2 kv heads x head_dim 4
            expected[$"blocks.{l}.attn.v.weight"] = [8, 16];
            expected[$"blocks.{l}.attn.o.weight"] = [16, 16];
            expected[$"blocks.{l}.ln2.weight"] = [16];
            expected[$"blocks.{l}.mlp.gate.weight"] = [24, 16];
            expected[$"blocks.{l}.mlp.up.weight"] = [24, 16];
            expected[$"blocks.{l}.mlp.down.weight"] = [16, 24];
        }
        shapes.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, shape) in expected) shapes[name].Should().Equal(shape, name);
        model.named_parameters().Single(p => p.name == "blocks.0.ln1.weight").parameter.data<float>().ToArray().Should().AllBeEquivalentTo(1f);
    }

    [Fact]
    public void DecoderIsCausalAndEncoderIsNot()
    {
        foreach (var mode in new[] { ModelMode.Decoder, ModelMode.Encoder })
        {
            using var model = GrowableTransformer.Create(Llama with { Mode = mode }, seed: 3);
            model.eval();
            using var a = randint(0, 13, [1, 8], generator: new Generator(4), dtype: int64);
            using var b = a.clone();
            b[0, 7] = tensor(a[0, 7].item<long>() == 5L ? 6L : 5L);
            using var la = model.forward(a);
            using var lb = model.forward(b);
            la.shape.Should().Equal(1, 8, mode == ModelMode.Decoder ? 13 : 3);
            bool earlierUnchanged = la.narrow(1, 0, 7).allclose(lb.narrow(1, 0, 7), 1e-6, 1e-6);
            earlierUnchanged.Should().Be(mode == ModelMode.Decoder, $"{mode}: only a decoder hides later tokens");
            la.narrow(1, 7, 1).allclose(lb.narrow(1, 7, 1)).Should().BeFalse();
        }
    }

    [Fact]
    public void RotaryEmbeddingMatchesHandComputedRotateHalf()
    {
        // head_dim 4, θ = 10000: f = (1, 10000^-0.5 = 0.01); pairs (x0, x2) and (x1, x3) rotate by p·f0 and p·f1.
        var (cos, sin) = RotaryEmbedding.Tables(3, 4, 10000, CPU);
        using var _c = cos; using var _s = sin;
        using var x = tensor(new float[] { 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4 }).reshape(1, 1, 3, 4);
        using var y = RotaryEmbedding.Apply(x, cos, sin);
        var actual = y.data<float>().ToArray();
        for (int p = 0; p < 3; p++)
        {
            double a = p * 1.0, b = p * 0.01;
            double[] expected =
            [
                1 * Math.Cos(a) - 3 * Math.Sin(a),
                2 * Math.Cos(b) - 4 * Math.Sin(b),
                3 * Math.Cos(a) + 1 * Math.Sin(a),
                4 * Math.Cos(b) + 2 * Math.Sin(b),
            ];
            for (int i = 0; i < 4; i++) actual[p * 4 + i].Should().BeApproximately((float)expected[i], 1e-6f * 5, $"position {p}, dim {i}");
        }
    }

    [Fact]
    public void RmsNormMatchesHandComputedValue()
    {
        using var x = tensor(new float[] { 3, 4 });
        using var gain = tensor(new float[] { 1, 2 });
        using var y = RmsNorm.Normalise(x, gain);
        double rms = Math.Sqrt(12.5 + RmsNorm.Epsilon); // mean(9, 16) = 12.5
        y.data<float>().ToArray().Should().Equal([(float)(3 / rms), (float)(8 / rms)], (u, v) => Math.Abs(u - v) <= 1e-6 * Math.Abs(v));
    }

    [Fact]
    public void GroupedQueryAttentionEqualsMultiHeadWithRepeatedKeyValues()
    {
        using var gqa = GrowableTransformer.Create(Llama, seed: 7);
        var full = Llama with { KvHeads = 4 };
        using var mha = GrowableTransformer.Create(full, seed: 8);
        var weights = gqa.CloneWeights();
        foreach (var name in weights.Keys.Where(n => n.EndsWith(".attn.k.weight") || n.EndsWith(".attn.v.weight")).ToList())
        {
            // query head h reads kv head h / 2: kv head j's rows (j*4 .. j*4+3) are repeated for query heads 2j and 2j+1
            var kv = weights[name];
            weights[name] = kv.view(2, 1, 4, 16).expand(2, 2, 4, 16).reshape(16, 16).clone();
            kv.Dispose();
        }
        mha.LoadWeights(weights);
        gqa.eval(); mha.eval();
        using var tokens = randint(0, 13, [3, 10], generator: new Generator(9), dtype: int64);
        using var a = gqa.forward(tokens);
        using var b = mha.forward(tokens);
        double scale = a.abs().max().item<float>();
        (a - b).abs().max().item<float>().Should().BeLessThanOrEqualTo((float)(1e-5 * scale));
        foreach (var w in weights.Values) w.Dispose();
    }

    [Fact]
    public void TiedEmbeddingsAreOneParameter()
    {
        var tied = Llama with { TieEmbeddings = true };
        using var model = GrowableTransformer.Create(tied, seed: 2);
        using var untied = GrowableTransformer.Create(Llama, seed: 2);
        model.named_parameters().Select(p => p.name).Should().NotContain("head.weight");
        untied.ParameterCount.Should().Be(model.ParameterCount + 13 * 16);
        // The head reads the embedding: scaling E changes the logits although no other parameter changed.
        model.eval();
        using var tokens = randint(0, 13, [2, 6], generator: new Generator(1), dtype: int64);
        using var before = model.forward(tokens);
        using (no_grad()) model.named_parameters().Single(p => p.name == "tok_emb.weight").parameter.mul_(2);
        using var after = model.forward(tokens);
        after.allclose(before).Should().BeFalse();
    }

    [Fact]
    public void ConfigRulesNameTheProperty()
    {
        var badGroup = () => (Llama with { Heads = 4, KvHeads = 3 }).Validate();
        badGroup.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("KvHeads");
        var gptGroup = () => new TransformerConfig { DModel = 16, Heads = 4, KvHeads = 2 }.Validate();
        gptGroup.Should().Throw<ArgumentException>().WithMessage("*KvHeads (2)*GPT*");
        var tiedEncoder = () => (Llama with { Mode = ModelMode.Encoder, TieEmbeddings = true }).Validate();
        tiedEncoder.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("TieEmbeddings");
        var oddHead = () => (Llama with { DModel = 12, Heads = 4, KvHeads = 4 }).Validate();
        oddHead.Should().Throw<ArgumentException>().WithMessage("*even head dimension*3*");
        var theta = () => Llama with { RopeTheta = 0 };
        theta.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("RopeTheta");
        var kv = () => Llama with { KvHeads = 0 };
        kv.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("KvHeads");
    }

    [Fact]
    public void JsonRoundTripKeepsTheFamilyAndOldJsonLoadsAsGpt()
    {
        var config = Llama with { TieEmbeddings = true, RopeTheta = 500000 };
        var json = config.ToJson();
        json.Should().Contain("\"architecture\":\"llama\"").And.Contain("\"kv_heads\":2").And.Contain("\"tie_embeddings\":true");
        TransformerConfig.FromJson(json).Should().Be(config);

        var old = TransformerConfig.FromJson("{\"vocab_size\":27,\"max_length\":20,\"d_model\":64,\"heads\":4,\"d_ff\":256,\"layers\":1,\"dropout\":0,\"mode\":\"encoder\",\"classes\":3}");
        old.Architecture.Should().Be(ModelArchitecture.Gpt);
        old.KvHeads.Should().Be(4);
        old.TieEmbeddings.Should().BeFalse();
        old.RopeTheta.Should().Be(10000);
        (old with { Heads = 8 }).KvHeads.Should().Be(8, "an unset KvHeads follows Heads");
        var gpt = new TransformerConfig();
        TransformerConfig.FromJson(gpt.ToJson()).Should().Be(gpt);
        gpt.ToJson().Should().NotContain("kv_heads");
    }

    [Fact]
    public void CheckpointRoundTripKeepsOutputs()
    {
        string dir = Directory.CreateTempSubdirectory("bus-llama-").FullName;
        try
        {
            var config = Llama with { TieEmbeddings = true };
            using var model = GrowableTransformer.Create(config, seed: 5);
            string path = Path.Combine(dir, "m.safetensors");
            ModelCheckpoint.Save(model, path);
            using var loaded = ModelCheckpoint.Load(path);
            loaded.Config.Should().Be(config);
            model.eval(); loaded.eval();
            using var tokens = randint(0, 13, [2, 10], generator: new Generator(3), dtype: int64);
            using var a = model.forward(tokens);
            using var b = loaded.forward(tokens);
            a.allclose(b, 0, 0).Should().BeTrue();
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TrainerFitsTheLlamaFamily()
    {
        var config = new TransformerConfig { Architecture = ModelArchitecture.Llama, DModel = 32, Heads = 2, KvHeads = 1, FeedForwardSize = 64, Layers = 1, MaxLength = 12 };
        using var train = TestData.LetterCounting(512, 12, seed: 1);
        using var dev = TestData.LetterCounting(128, 12, seed: 2);
        var options = new TrainerOptions { BatchSize = 32, Budget = Budget.Epochs(6), LearningRate = 3e-3, Seed = 1, EvaluationsPerEpoch = 1 };
        var result = new Trainer(options).Fit(GrowableTransformer.Create(config, 1), train, dev, SequenceObjective.TokenClassification);
        result.History[^1].DevLoss.Should().BeLessThan(result.History[0].DevLoss);
        result.Model.Dispose();
    }

    [Fact]
    public void FlopsCountGroupedKeyValuesAndThreeMlpMatrices()
    {
        // d = 16, kv width 8, d_ff 24, vocab 13, T = 10, one layer:
        // weights 2*256 + 2*16*8 + 3*16*24 = 512 + 256 + 1152 = 1920; head 16*13 = 208; attention 2*10*16 = 320
        double expected = 2 * (1920 + 208) + 2 * 320;
        FlopCounter.ForwardPerToken(Llama, 10, 1).Should().Be(expected);
    }
}
