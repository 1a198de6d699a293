using System.Runtime.InteropServices;

namespace Bus.Cli.Commands;

/// <summary>
/// Peak resident memory of a stretch of work on Linux: returns freed heap pages to the system (glibc <c>malloc_trim</c>),
/// resets the kernel's high-water mark (<c>echo 5 &gt; /proc/self/clear_refs</c>), and reads <c>VmHWM</c> afterwards.
/// Elsewhere (or where the kernel refuses the reset) it reports nothing.
/// </summary>
internal static class PeakMemory
{
    /// <summary>Resets the peak to the current resident size and returns that size in bytes (null: not measurable here).</summary>
    public static long? Reset()
    {
        if (!OperatingSystem.IsLinux()) return null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            _ = MallocTrim(0);
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        return Read("VmRSS");
    }

    /// <summary>The resident high-water mark since <see cref="Reset"/>, in bytes (null: not measurable here).</summary>
    public static long? Peak() => OperatingSystem.IsLinux() ? Read("VmHWM") : null;

    private static long? Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project; one blittable call needs no marshalling
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054
}
