using Bus.Core.Checkpoints;

namespace Bus.Interop.Tests;

/// <summary><c>bus export-hf</c> and <c>bus import-hf</c> run as real child processes.</summary>
public class CliTests
{
    [Fact]
    public void ExportThenImportWithProbeReproducesTheModel()
    {
        using var temp = new TempDirectory();
        string model = Path.Combine(temp.Path, "model.safetensors"), exported = Path.Combine(temp.Path, "exported"), back = Path.Combine(temp.Path, "back.safetensors");
        var config = Models.Decoder();
        using (var m = Models.Random(config, seed: 61)) ModelCheckpoint.Save(m, model);

        var export = Bus("export-hf", model, "--out", exported, "--probe");
        export.Code.Should().Be(0, export.Output);
        export.Output.Should().Contain("GPT2LMHeadModel");
        File.Exists(Path.Combine(exported, "config.json")).Should().BeTrue();

        var import = Bus("import-hf", exported, "--out", back, "--probe", Path.Combine(exported, "bus-probe.safetensors"));
        import.Code.Should().Be(0, import.Output);
        import.Output.Should().Contain("relative =");
        using var original = ModelCheckpoint.Load(model);
        using var imported = ModelCheckpoint.Load(back);
        HfFolder.LogitDifference(original, imported, 61).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void ExportOfAnEncoderFailsWithTheReason()
    {
        using var temp = new TempDirectory();
        string model = Path.Combine(temp.Path, "encoder.safetensors");
        using (var m = GrowableTransformer.Create(Models.Decoder() with { Mode = ModelMode.Encoder }, 62)) ModelCheckpoint.Save(m, model);
        var export = Bus("export-hf", model, "--out", Path.Combine(temp.Path, "out"));
        export.Code.Should().NotBe(0);
        export.Output.Should().Contain("encoder").And.Contain("Nothing was written");
        Directory.Exists(Path.Combine(temp.Path, "out")).Should().BeFalse();
    }

    [Theory]
    [InlineData("n_positions",
        "*error: *'transformer.wpe.weight' has shape [8, 32]*n_positions = 2147483647 disagrees with dimension 0 (8)*")]
    [InlineData("nan", "*error: *tensor 'transformer.h.0.attn.c_proj.weight' holds 1 non-finite values (1 NaN*")]
    public void ImportOfAFolderItsConfigOrWeightsContradictExitsTwoNamingTheCause(string fault, string message)
    {
        using var temp = new TempDirectory();
        string folder = Path.Combine(temp.Path, "hf"), back = Path.Combine(temp.Path, "back.safetensors");
        using (var m = Models.Random(Models.Decoder(dModel: 32, heads: 2, feedForwardSize: 16, layers: 1), seed: 63))
            Core.Interop.HuggingFaceCheckpoint.Save(m, folder);
        if (fault == "nan") HfFolder.EditWeights(folder, t => t["transformer.h.0.attn.c_proj.weight"][3, 4] = float.NaN);
        else HfFolder.EditConfig(folder, json => json["n_positions"] = int.MaxValue);
        var import = Bus("import-hf", folder, "--out", back);
        import.Code.Should().Be(2, import.Output);
        import.Output.Trim().Split('\n').Should().ContainSingle().Which.Should().Match(message);
        File.Exists(back).Should().BeFalse();
    }

    private static (int Code, string Output) Bus(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bus.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bus {string.Join(' ', args)} did not finish within 2 minutes.");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
