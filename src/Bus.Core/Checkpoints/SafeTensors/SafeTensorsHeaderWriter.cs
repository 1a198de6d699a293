using System.Buffers;
using System.Text.Encodings.Web;

namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>Serializes a tensor table and metadata to the space-padded JSON header of a safetensors file.</summary>
internal static class SafeTensorsHeaderWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Returns the header bytes, padded with spaces so their length is a multiple of 8.</summary>
    /// <param name="tensors">Entries in the order they are written (offsets already assigned).</param>
    /// <param name="metadata">Metadata, written first and sorted by key; omitted when empty.</param>
    public static byte[] Write(IReadOnlyList<SafeTensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            foreach (var tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.Name());
                json.WriteStartArray("shape");
                foreach (long dim in tensor.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(tensor.DataBegin);
                json.WriteNumberValue(tensor.DataEnd);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
