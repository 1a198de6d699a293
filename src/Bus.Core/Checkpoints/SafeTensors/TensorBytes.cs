namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>
/// Raw byte access to contiguous CPU tensors. TorchSharp exposes a tensor's storage as a <see cref="Span{T}"/>,
/// limited to 2 GiB, so larger tensors are handled as contiguous slices of at most <see cref="ChunkBytes"/>.
/// </summary>
internal static class TensorBytes
{
    private const long ChunkBytes = 1L << 30;

    /// <summary>Writes the bytes of a contiguous CPU tensor to <paramref name="stream"/>.</summary>
    public static void WriteTo(torch.Tensor tensor, int elementSize, Stream stream)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var part in Chunks(tensor, elementSize))
        {
            stream.Write(part.bytes);
        }
    }

    /// <summary>Fills a contiguous CPU tensor from the file at <paramref name="fileOffset"/>; false if the file ends early.</summary>
    public static bool ReadFrom(SafeFileHandle file, long fileOffset, torch.Tensor tensor, int elementSize)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var part in Chunks(tensor, elementSize))
        {
            var span = part.bytes;
            int done = 0;
            while (done < span.Length)
            {
                int read = RandomAccess.Read(file, span[done..], fileOffset + done);
                if (read <= 0)
                {
                    return false;
                }

                done += read;
            }

            fileOffset += span.Length;
        }

        return true;
    }

    private static IEnumerable<torch.Tensor> Chunks(torch.Tensor tensor, int elementSize)
    {
        long count = tensor.numel();
        if (count == 0)
        {
            yield break;
        }

        var flat = tensor.reshape(-1);
        long perChunk = ChunkBytes / elementSize;
        for (long start = 0; start < count; start += perChunk)
        {
            yield return flat.narrow(0, start, Math.Min(perChunk, count - start));
        }
    }
}
