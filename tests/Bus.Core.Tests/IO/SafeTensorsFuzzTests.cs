namespace Bus.Core.Tests.IO;

public class SafeTensorsFuzzTests
{
    private const int GeneratedCases = 800;

    private static readonly string[] Tokens =
        ["F32", "I64", "BOOL", "dtype", "shape", "data_offsets", "__metadata__", "\"a\"", "\"b\"", "[2]", "[1]", "[0,8]", "[8,16]", ":", ",", "{", "}", "[", "]"];

    private static readonly string[] Replacements =
        ["", "0", "-1", "1.5", "1e3", "99999999999999999999", "9223372036854775807", "\"x\"", "null", "true", "[]", "{}", "[0]", "F16", "U8", "__metadata__", "\"a\"", "\\u0000", "\\ud800", "\u00ff", ",", ":", "{", "}"];

    [Fact]
    public async Task MutatedFilesLoadOrThrowOnlyFormatException()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fuzz.safetensors");
        var cases = Generate(new Random(20260601)).Concat(SafeTensorsInvalidCases.All.Select(kv => (kv.Key, kv.Value))).ToList();
        var failures = new List<string>();
        int loaded = 0, rejected = 0;

        var run = Task.Run(() =>
        {
            foreach (var (label, bytes) in cases)
            {
                switch (Check(path, label, bytes, failures))
                {
                    case true: loaded++; break;
                    case false: rejected++; break;
                }
            }
        });

        var first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        first.Should().BeSameAs(run, "the fuzz loop must not hang");
        await run;
        failures.Should().BeEmpty();
        cases.Count.Should().BeGreaterThanOrEqualTo(500);
        rejected.Should().BeGreaterThan(cases.Count / 2, "most mutations break the file");
        (loaded + rejected).Should().Be(cases.Count);
        // No wall-clock bound here (it failed at 13.7 s on the shared 2-core machine in a full run, issue 12): speed is
        // a benchmark's job; the 60-second guard above only catches a hang.
    }

    /// <summary>True if the file loaded, false if it was rejected properly; other exceptions are recorded.</summary>
    private static bool? Check(string path, string label, byte[] bytes, List<string> failures)
    {
        bool parsed;
        try
        {
            SafeTensorsHeader.Parse(bytes, bytes.Length, label);
            parsed = true;
        }
        catch (SafeTensorsFormatException)
        {
            parsed = false;
        }
        catch (Exception e)
        {
            failures.Add($"{label}: Parse threw {e.GetType().Name}: {e.Message}");
            return null;
        }

        File.WriteAllBytes(path, bytes);
        try
        {
            using var scope = NewDisposeScope();
            using var content = SafeTensorsFile.Load(path);
            if (!parsed)
            {
                failures.Add($"{label}: Load accepted a file Parse rejected");
            }

            return true;
        }
        catch (SafeTensorsFormatException)
        {
            if (parsed)
            {
                failures.Add($"{label}: Load rejected a file Parse accepted");
            }

            return false;
        }
        catch (Exception e)
        {
            failures.Add($"{label}: Load threw {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private static IEnumerable<(string Label, byte[] Bytes)> Generate(Random rng)
    {
        byte[] valid = SafeTensorsTestFiles.Build(SafeTensorsTestFiles.ValidHeader, SafeTensorsTestFiles.ValidData);
        int dataStart = valid.Length - SafeTensorsTestFiles.ValidData.Length;
        for (int i = 0; i < GeneratedCases; i++)
        {
            switch (i % 5)
            {
                case 0:
                    int cut = rng.Next(0, valid.Length);
                    yield return ($"#{i} truncate to {cut}", valid[..cut]);
                    break;
                case 1:
                    yield return ($"#{i} flip header bytes", Flip(rng, valid, 8, dataStart));
                    break;
                case 2:
                    yield return ($"#{i} flip length bytes", Flip(rng, valid, 0, 8));
                    break;
                case 3:
                    yield return ($"#{i} length prefix", Relength(rng, valid));
                    break;
                default:
                    var (what, json) = MutateJson(rng, SafeTensorsTestFiles.ValidHeader);
                    byte[] data = rng.Next(4) == 0 ? SafeTensorsTestFiles.ValidData[..rng.Next(17)] : SafeTensorsTestFiles.ValidData;
                    yield return ($"#{i} json {what} -> {json} (+{data.Length} data bytes)", SafeTensorsTestFiles.Build(json, data));
                    break;
            }
        }
    }

    private static byte[] Flip(Random rng, byte[] source, int from, int to)
    {
        byte[] copy = (byte[])source.Clone();
        int flips = rng.Next(1, 4);
        for (int f = 0; f < flips; f++)
        {
            int at = rng.Next(from, to);
            copy[at] = rng.Next(2) == 0 ? (byte)(copy[at] ^ (1 << rng.Next(8))) : (byte)rng.Next(256);
        }

        return copy;
    }

    private static byte[] Relength(Random rng, byte[] source)
    {
        byte[] copy = (byte[])source.Clone();
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(copy);
        ulong value = rng.Next(3) switch
        {
            0 => (ulong)((long)length + rng.Next(-16, 17)),
            1 => (ulong)rng.NextInt64(),
            _ => 1UL << rng.Next(64),
        };
        BinaryPrimitives.WriteUInt64LittleEndian(copy, value);
        return copy;
    }

    private static (string What, string Json) MutateJson(Random rng, string json)
    {
        var text = new StringBuilder(json);
        int at = rng.Next(text.Length);
        switch (rng.Next(5))
        {
            case 0:
                text.Remove(at, Math.Min(rng.Next(1, 4), text.Length - at));
                return ("delete", text.ToString());
            case 1:
                text.Insert(at, Replacements[rng.Next(Replacements.Length)]);
                return ("insert", text.ToString());
            case 2:
                string token = Tokens[rng.Next(Tokens.Length)];
                int found = json.IndexOf(token, rng.Next(json.Length), StringComparison.Ordinal);
                if (found < 0)
                {
                    found = json.IndexOf(token, StringComparison.Ordinal);
                }

                text.Remove(found, token.Length).Insert(found, Replacements[rng.Next(Replacements.Length)]);
                return ($"replace {token}", text.ToString());
            case 3:
                int length = rng.Next(1, Math.Min(40, text.Length - at + 1));
                text.Insert(at, json.Substring(at, length));
                return ("duplicate", text.ToString());
            default:
                int digit = json.IndexOfAny("0123456789".ToCharArray(), at);
                if (digit < 0)
                {
                    digit = json.IndexOfAny("0123456789".ToCharArray());
                }

                text[digit] = (char)('0' + rng.Next(10));
                return ("digit", text.ToString());
        }
    }
}
