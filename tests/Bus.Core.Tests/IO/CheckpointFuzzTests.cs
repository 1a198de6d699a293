namespace Bus.Core.Tests.IO;

/// <summary>
/// Integrity (issue 12, item 3): a real training checkpoint with one byte changed, in every byte class of the file —
/// length prefix, header, and each data entry (model weights, optimizer state, torch and Bus RNG, sampler) — is
/// detected on load.
/// </summary>
[Collection(DeterminismCollection.Name)]
public sealed class CheckpointFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-fuzz-").FullName;

    [Fact]
    public void EveryDataSectionFlipIsDetectedAndHeaderFlipsNeverLoadSilently()
    {
        var checkpoint = new CheckpointOptions { Directory = Path.Combine(_dir, "ck"), EverySteps = 2 };
        using (var train = TestData.LetterCounting(32, 12, seed: 1))
        using (var dev = TestData.LetterCounting(8, 12, seed: 2))
        {
            var config = new TransformerConfig { DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1, MaxLength = 12 };
            var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(2), Seed = 1, Checkpoint = checkpoint };
            new Trainer(options).Fit(GrowableTransformer.Create(config, 1), train, dev, SequenceObjective.TokenClassification).Model.Dispose();
        }

        byte[] original = File.ReadAllBytes(checkpoint.LastPath);
        var header = SafeTensorsHeader.Parse(original, original.Length, checkpoint.LastPath);
        header.Metadata.Should().ContainKey("bus.sha256");

        // Byte classes: the length prefix and the header (every byte), and each data entry (its first and last byte and
        // 64 seeded positions inside it: the model weights, optimizer, torch and Bus RNG, sampler).
        var classes = new List<(string Name, bool Data, List<long> Offsets)>
        {
            ("prefix", false, Enumerable.Range(0, 8).Select(i => (long)i).ToList()),
            ("header", false, Enumerable.Range(8, (int)header.DataStart - 8).Select(i => (long)i).ToList()),
        };
        var random = new Random(12);
        foreach (var info in header.Tensors.Where(t => t.ByteLength > 0))
        {
            long begin = header.DataStart + info.DataBegin, end = header.DataStart + info.DataEnd;
            var offsets = new List<long> { begin, end - 1 };
            offsets.AddRange(Enumerable.Range(0, 64).Select(_ => random.NextInt64(begin, end)));
            classes.Add(("data " + info.Name, true, offsets.Distinct().ToList()));
        }

        string target = Path.Combine(_dir, "flipped.safetensors");
        var report = new List<string>();
        int headerUndetected = 0;
        foreach (var (name, data, offsets) in classes)
        {
            int detected = offsets.Count(offset => FlipIsDetected(original, offset, (byte)random.Next(1, 256), target));
            report.Add($"{name}: {detected}/{offsets.Count}");
            if (data) detected.Should().Be(offsets.Count, $"every changed byte of {name} changes the SHA-256 ({string.Join("; ", report)})");
            else headerUndetected += offsets.Count - detected;
        }

        classes.Count(c => c.Data).Should().BeGreaterThanOrEqualTo(5, "weights, optimizer, torch RNG, sampler and more");
        // A header flip inside the key name "bus.sha256" makes the file look unchecked; every other one is caught.
        headerUndetected.Should().BeLessThanOrEqualTo("bus.sha256".Length, string.Join("; ", report));
    }

    private static bool FlipIsDetected(byte[] original, long offset, byte mask, string target)
    {
        byte[] bytes = (byte[])original.Clone();
        bytes[offset] ^= mask;
        File.WriteAllBytes(target, bytes);
        try
        {
            using var content = SafeTensorsFile.Load(target);
            return false;
        }
        catch (SafeTensorsFormatException)
        {
            return true;
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
