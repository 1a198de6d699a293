namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>
/// The tensors and metadata loaded from a safetensors file. Owns the tensors: disposing the content disposes them
/// (detach a tensor you keep longer by cloning it, or by not disposing the content).
/// </summary>
public sealed class SafeTensorsContent : IDisposable
{
    private bool _disposed;

    internal SafeTensorsContent(IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, torch.Tensor> Tensors { get; }

    /// <summary>The "__metadata__" entries; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Disposes every tensor in <see cref="Tensors"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
