namespace Bus.Core;

/// <summary>Resolves a device name ("cpu", "cuda", "cuda:1") to a TorchSharp device, with a clear error.</summary>
public static class BusDevice
{
    /// <summary>Parses <paramref name="name"/>; throws <see cref="ArgumentException"/> naming the value when it is unknown.</summary>
    public static torch.Device Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        try { return torch.device(name); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ArgumentException($"Unknown device '{name}': use \"cpu\", \"cuda\" or \"cuda:N\".", nameof(name), e);
        }
    }
}
