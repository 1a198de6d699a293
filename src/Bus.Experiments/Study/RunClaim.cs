namespace Bus.Experiments.Study;

/// <summary>
/// A claim on one study run, so that several processes can work one study folder side by side: a worker creates
/// &lt;run&gt;.json.claim (exclusively) holding its process id before training the run and deletes it after writing the
/// run's file. A claim whose process is gone is stale and is taken over.
/// </summary>
public sealed class RunClaim : IDisposable
{
    private readonly string _path;

    private RunClaim(string path) => _path = path;

    /// <summary>The claim file of the run stored at <paramref name="runPath"/>.</summary>
    public static string PathOf(string runPath) => runPath + ".claim";

    /// <summary>
    /// Claims the run at <paramref name="runPath"/>, or returns null when a live process holds it. A stale claim (its
    /// process no longer runs, or the file is unreadable) is removed and claimed.
    /// </summary>
    public static RunClaim? TryTake(string runPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runPath);
        string path = PathOf(runPath);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return new RunClaim(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (IsHeldByLiveProcess(path)) return null;
                try { File.Delete(path); } catch (IOException) { return null; }
            }
        }
        return null;
    }

    /// <summary>
    /// Claims <paramref name="runPath"/>, polling every <paramref name="pollSeconds"/> while another live process holds it.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public static RunClaim Wait(string runPath, double pollSeconds, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTake(runPath) is { } claim) return claim;
            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(pollSeconds))) cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>True when the claim file at <paramref name="claimPath"/> names a process that is still running (this process
    /// included).</summary>
    public static bool IsHeldByLiveProcess(string claimPath)
    {
        string text;
        try { text = File.ReadAllText(claimPath).Trim(); }
        catch (IOException) { return File.Exists(claimPath); }
        catch (UnauthorizedAccessException) { return true; }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid))
            return false;
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Removes the claim.</summary>
    public void Dispose()
    {
        try { File.Delete(_path); } catch (IOException) { }
    }
}
