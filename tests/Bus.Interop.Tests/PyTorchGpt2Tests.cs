using Bus.Core.Growth;
using Bus.Growth.Operators;

namespace Bus.Interop.Tests;

/// <summary>
/// The exchange against real PyTorch: scripts/python/hf_gpt2.py is a GPT2LMHeadModel written from Hugging Face's
/// definition (not from Bus's code). Every comparison passes at max |logit difference| &lt;= 1e-4 x max |logit|.
/// </summary>
public class PyTorchGpt2Tests(ITestOutputHelper output)
{
    private const double Rtol = 1e-4;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BusExportRunsInReferencePyTorchGpt2WithBusLogits(bool tied)
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        string dir = temp.Path;
        var config = Models.Decoder(dModel: 32, heads: 4, feedForwardSize: 40, layers: 2);
        using var model = Models.Random(config, seed: 21);
        if (tied) Tie(model);
        HuggingFaceCheckpoint.Save(model, dir);
        using var tokens = Models.Tokens(config, 21);
        using var logits = Models.Logits(model, tokens);
        Models.WriteProbe(Path.Combine(dir, "bus-probe.safetensors"), tokens, logits);
        string result = PyTorch.Run(output, "interop_check.py", "verify", dir, "--probe", Path.Combine(dir, "bus-probe.safetensors"), "--rtol", $"{Rtol}");
        result.Should().StartWith("ok");
        RoundTripTable.Row(output, "GPT-2", $"Bus -> PyTorch reference ({(tied ? "tied" : "untied")} head)", RoundTripTable.RelativeFrom(result));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PyTorchGpt2ImportsIntoBusWithPyTorchLogits(bool untied)
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        string dir = temp.Path;
        PyTorch.Run(output, "interop_check.py", ["make", dir, "--seed", "5", "--n-embd", "32", "--n-head", "4", "--n-inner", "56", "--n-layer", "2", .. (untied ? new[] { "--untied" } : [])]);
        using var model = HuggingFaceCheckpoint.Load(dir);
        model.Config.FeedForwardSize.Should().Be(56);
        double difference = Models.CompareWithProbe(model, Path.Combine(dir, "probe.safetensors"));
        RoundTripTable.Row(output, "GPT-2", $"PyTorch reference -> Bus ({(untied ? "untied" : "tied")} head)", difference);
        difference.Should().BeLessThan(Rtol);
    }

    [Fact]
    public void PyTorchGpt2WithTanhGeluIsRefused()
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        string dir = temp.Path;
        PyTorch.Run(output, "interop_check.py", "make", dir, "--activation", "gelu_new");
        var act = () => HuggingFaceCheckpoint.Load(dir);
        act.Should().Throw<InvalidDataException>().WithMessage("*activation_function*gelu_new*");
    }

    [Theory]
    [InlineData(ModelArchitecture.Gpt)]
    [InlineData(ModelArchitecture.Llama)]
    public void GrowthInBusIsFunctionPreservingWhenPyTorchRunsTheGrownModel(ModelArchitecture architecture)
    {
        if (!PyTorch.Available(output)) return;
        using var temp = new TempDirectory();
        string dir = temp.Path;
        var small = architecture == ModelArchitecture.Llama ? Models.Llama(kvHeads: 2) : Models.Decoder(dModel: 32, heads: 4, feedForwardSize: 40, layers: 2);
        var wide = small with { DModel = 64, Heads = 8, KvHeads = small.KvHeads * 2, FeedForwardSize = 72 };
        var deep = wide with { Layers = 3 };
        using var model = Models.Random(small, seed: 31);
        using var tokens = Models.Tokens(small, 31);
        using var before = Models.Logits(model, tokens);
        // d_model doubled with round-robin copies (exact under LayerNorm/RMSNorm), heads (and kv heads) grown at constant
        // head_dim, then a zero-output block on top.
        using var widened = new FunctionPreservingWidth(new() { Mapping = UnitMapping.RoundRobin }).Grow(model, wide, new GrowthContext(31));
        using var grown = new FunctionPreservingDepth().Grow(widened, deep, new GrowthContext(32));
        grown.Config.Should().Be(deep);
        HuggingFaceCheckpoint.Save(grown, dir);
        Models.WriteProbe(Path.Combine(dir, "before-growth.safetensors"), tokens, before);
        string result = PyTorch.Run(output, "interop_check.py", "verify", dir, "--probe", Path.Combine(dir, "before-growth.safetensors"), "--rtol", $"{Rtol}");
        result.Should().StartWith("ok");
        RoundTripTable.Row(output, architecture == ModelArchitecture.Llama ? "Llama" : "GPT-2",
            "Bus grown (width x2, +1 block) -> PyTorch, vs logits before growth", RoundTripTable.RelativeFrom(result));
    }

    private static void Tie(GrowableTransformer model)
    {
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using var noGrad = no_grad();
        p[ParameterNames.HeadWeight].copy_(p[ParameterNames.TokenEmbedding]);
    }
}
