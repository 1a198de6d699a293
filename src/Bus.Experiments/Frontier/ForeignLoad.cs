namespace Bus.Experiments.Frontier;

/// <summary>
/// Measures how much CPU other processes used while this one worked: (machine busy time - this process's CPU time)
/// / wall time, in cores, from /proc/stat on Linux. Elsewhere it reports null (unknown).
/// </summary>
public sealed class ForeignLoad
{
    private readonly double? _busyStart;
    private readonly TimeSpan _ownStart;
    private readonly long _start;

    private ForeignLoad()
    {
        _busyStart = MachineBusySeconds();
        _ownStart = Process.GetCurrentProcess().TotalProcessorTime;
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts a measurement.</summary>
    public static ForeignLoad Start() => new();

    /// <summary>Other processes' mean CPU use since <see cref="Start"/>, in cores (null where /proc/stat is unavailable).</summary>
    public double? Cores()
    {
        double wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        if (_busyStart is not { } busyStart || MachineBusySeconds() is not { } busyEnd || wall <= 0) return null;
        double own = (Process.GetCurrentProcess().TotalProcessorTime - _ownStart).TotalSeconds;
        return Math.Max(0, (busyEnd - busyStart - own) / wall);
    }

    /// <summary>Busy CPU seconds of the whole machine since boot (user + nice + system + irq + softirq + steal), or null.</summary>
    public static double? MachineBusySeconds()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/stat")) return null;
            string? line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null) return null;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal ...
            double busy = f[0] + f[1] + f[2] + (f.Length > 5 ? f[5] : 0) + (f.Length > 6 ? f[6] : 0) + (f.Length > 7 ? f[7] : 0);
            return busy / 100.0; // USER_HZ is 100 on Linux
        }
        catch (IOException) { return null; }
        catch (FormatException) { return null; }
    }
}
