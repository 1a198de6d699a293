using System.Buffers.Binary;
using Bus.Core.IO;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.Core.Training.Checkpointing;

namespace Bus.Core.Tests.IO;

/// <summary>
/// Integrity (issue 12, item 3): a real training checkpoint with one byte changed, in every byte class of the file —
/// length prefix, header, and each data entry (model weights, optimizer state, torch and Bus RNG, sampler) — is
/// detected on load. Every data-section byte is flipped (the checkpoint is small); header bytes too.
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
            var config = new TransformerConfig { DModel = 8, Heads = 1, DFf = 16, Layers = 1, MaxLength = 12 };
            var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(2), Seed = 1, Checkpoint = checkpoint };
            new Trainer(options).Fit(GrowableTransformer.Create(config, 1), train, dev, SequenceObjective.Classification).Model.Dispose();
        }

        byte[] original = File.ReadAllBytes(checkpoint.LastPath);
        long dataStart = 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(original);
        using (var content = SafeTensorsFile.Load(checkpoint.LastPath))
            content.Metadata.Should().ContainKey("bus.sha256");

        string target = Path.Combine(_dir, "flipped.safetensors");
        var random = new Random(12);
        int dataFlips = 0, dataDetected = 0, headerFlips = 0, headerDetected = 0;
        for (int i = 0; i < original.Length; i++)
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[i] ^= (byte)random.Next(1, 256);
            File.WriteAllBytes(target, bytes);
            bool detected;
            try
            {
                using var content = SafeTensorsFile.Load(target);
                detected = false;
            }
            catch (SafeTensorsFormatException)
            {
                detected = true;
            }

            if (i >= dataStart) { dataFlips++; if (detected) dataDetected++; }
            else { headerFlips++; if (detected) headerDetected++; }
        }

        dataFlips.Should().BeGreaterThan(5000, "the data section holds weights, optimizer state, RNG and sampler");
        dataDetected.Should().Be(dataFlips, "every changed data byte changes the SHA-256");
        // A header flip inside the key name "bus.sha256" makes the file look unchecked; every other one is caught.
        (headerFlips - headerDetected).Should().BeLessThanOrEqualTo("bus.sha256".Length,
            $"{headerDetected}/{headerFlips} header flips detected");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
