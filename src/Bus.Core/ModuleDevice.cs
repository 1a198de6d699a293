namespace Bus.Core;

/// <summary>The device a module's parameters live on (CPU for a module without parameters).</summary>
public static class ModuleDevice
{
    /// <summary>Device of <paramref name="module"/>'s first parameter, or the CPU when it has none.</summary>
    public static Device Of(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var p in module.parameters()) return p.device;
        return CPU;
    }

    /// <summary>Number of scalar parameters in <paramref name="module"/>.</summary>
    public static long ParameterCount(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        long n = 0;
        foreach (var p in module.parameters()) n += p.numel();
        return n;
    }
}
