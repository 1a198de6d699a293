using Bus.Core.Tokenization;

namespace Bus.Interop.Tests;

/// <summary>
/// The <c>sentencepiece:PATH</c> tokenizer against Google's sentencepiece library: a BPE model trained by
/// scripts/python/spm_reference.py (Debian's python3-sentencepiece) gives the same ids in Bus as in sentencepiece for
/// each probe line, and decodes back to sentencepiece's own decoding; the tokenizer rebuilt from a model's record
/// (<see cref="ModelTokenizer"/>) does too.
/// </summary>
public sealed class SentencePieceTests(ITestOutputHelper output)
{
    [Fact]
    public void IdsEqualSentencepieceOnAModelItTrained()
    {
        if (!PyTorch.AvailableWith(output, "sentencepiece")) return;
        using var temp = new TempDirectory();
        string text = Path.Combine(temp.Path, "text.txt"), probes = Path.Combine(temp.Path, "probes.txt"), prefix = Path.Combine(temp.Path, "spm");
        string[] sentences =
        [
            "The model grows from a small transformer into a larger one.",
            "Growth operators preserve the function of the network.",
            "Training costs less when the small model learns first.",
            "Selection picks the examples worth learning from.",
        ];
        File.WriteAllLines(text, Enumerable.Range(0, 200).Select(i => sentences[i % sentences.Length] + $" Step {i % 17}."));
        File.WriteAllLines(probes, ["The small model grows.", "Growth operators preserve training costs.", "Step 3 picks examples."]);
        PyTorch.Run(output, "spm_reference.py", text, probes, prefix, "120");

        var tokenizer = TextTokenizers.Create("sentencepiece:" + prefix + ".model");
        using var reference = JsonDocument.Parse(File.ReadAllText(prefix + ".ids.json"));
        var lines = reference.RootElement.GetProperty("lines").EnumerateArray().Select(l => l.GetString()!).ToList();
        var ids = reference.RootElement.GetProperty("ids").EnumerateArray().Select(a => a.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToList();
        var decoded = reference.RootElement.GetProperty("decoded").EnumerateArray().Select(l => l.GetString()!).ToList();
        lines.Should().HaveCount(3);
        for (int i = 0; i < lines.Count; i++)
        {
            var ours = tokenizer.Encode(lines[i]).ToArray();
            output.WriteLine($"{lines[i]}: sentencepiece [{string.Join(' ', ids[i])}], Bus [{string.Join(' ', ours)}]");
            ours.Should().Equal(ids[i], $"'{lines[i]}' must tokenize as sentencepiece does");
            ids[i].Should().NotContain(0, "the probes use only characters of the training text (no unknown piece)");
            tokenizer.Decode(ours).Should().Be(decoded[i]);
        }

        // A model records the tokenizer.model itself (ModelTokenizer): rebuilt from the record alone, after the file is gone,
        // it has the same identity and gives sentencepiece's ids.
        var record = ModelTokenizer.Of(tokenizer).ToMetadata();
        File.Delete(prefix + ".model");
        var rebuilt = ModelTokenizer.FromMetadata(record, "model.safetensors")!.Create();
        rebuilt.Identity.Should().Be(tokenizer.Identity);
        for (int i = 0; i < lines.Count; i++) rebuilt.Encode(lines[i]).Should().Equal(ids[i]);
    }
}
