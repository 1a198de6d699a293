namespace Bus.Core.Tests.Training.Metrics;

/// <summary>
/// The tests' own reader of TensorBoard event files, independent of the writer: TFRecord framing with both masked
/// CRC-32C checked by a bitwise CRC (no table, no instruction), and a hand-written protobuf decoder of the Event fields
/// the writer uses (wall_time 1, step 2, file_version 3, summary 5 → value 1 → tag 1, simple_value 2).
/// </summary>
internal static class TfEventsReader
{
    public sealed record ScalarEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Values);

    public static List<ScalarEvent> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<ScalarEvent>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 16) throw new InvalidDataException($"truncated record at byte {offset}");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8));
            if (lengthCrc != MaskedCrc(bytes.AsSpan(offset, 8))) throw new InvalidDataException($"bad length CRC at byte {offset}");
            var payload = bytes.AsSpan(offset + 12, checked((int)length));
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length));
            if (dataCrc != MaskedCrc(payload)) throw new InvalidDataException($"bad data CRC at byte {offset}");
            events.Add(DecodeEvent(payload));
            offset += 16 + (int)length;
        }
        return events;
    }

    /// <summary>CRC-32C bit by bit: reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF; then TFRecord's mask.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }

    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    private static ScalarEvent DecodeEvent(ReadOnlySpan<byte> data)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var values = new List<(string, float)>();
        int i = 0;
        while (i < data.Length)
        {
            ulong key = Varint(data, ref i);
            switch (key)
            {
                case (1 << 3) | 1: wall = BinaryPrimitives.ReadDoubleLittleEndian(data[i..]); i += 8; break;
                case (2 << 3) | 0: step = (long)Varint(data, ref i); break;
                case (3 << 3) | 2: version = Encoding.UTF8.GetString(Bytes(data, ref i)); break;
                case (5 << 3) | 2: DecodeSummary(Bytes(data, ref i), values); break;
                default: throw new InvalidDataException($"unexpected Event field key {key}");
            }
        }
        return new ScalarEvent(wall, step, version, values);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> data, List<(string, float)> values)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (Varint(data, ref i) != ((1 << 3) | 2)) throw new InvalidDataException("Summary holds only values");
            var value = Bytes(data, ref i);
            string tag = "";
            float simple = 0;
            int j = 0;
            while (j < value.Length)
            {
                ulong key = Varint(value, ref j);
                if (key == ((1 << 3) | 2)) tag = Encoding.UTF8.GetString(Bytes(value, ref j));
                else if (key == ((2 << 3) | 5)) { simple = BinaryPrimitives.ReadSingleLittleEndian(value[j..]); j += 4; }
                else throw new InvalidDataException($"unexpected Summary.Value field key {key}");
            }
            values.Add((tag, simple));
        }
    }

    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> data, ref int i)
    {
        int n = checked((int)Varint(data, ref i));
        var slice = data.Slice(i, n);
        i += n;
        return slice;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }
}
