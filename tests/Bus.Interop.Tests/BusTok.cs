using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Bus.Interop.Tests;

/// <summary>
/// Test fixture: writes a uint8 .bustok token stream (format in docs/scale-out.md: magic BUSTOK01, uint64 LE header
/// length, JSON header padded with spaces to 8 bytes, then the tokens) for scripts/python/ddp_continue.py.
/// </summary>
internal static class BusTok
{
    public static void Write(string path, long[] ids, string vocabulary, string source)
    {
        byte[] body = ids.Select(i => checked((byte)i)).ToArray();
        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["vocabulary"] = vocabulary, ["normalization"] = "text8", ["dtype"] = "uint8", ["count"] = body.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(body)), ["source"] = source,
        });
        byte[] header = Encoding.UTF8.GetBytes(json);
        int padded = header.Length + (8 - (16 + header.Length) % 8) % 8;
        using var file = File.Create(path);
        file.Write("BUSTOK01"u8);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(header);
        for (int i = header.Length; i < padded; i++) file.WriteByte((byte)' ');
        file.Write(body);
    }
}
