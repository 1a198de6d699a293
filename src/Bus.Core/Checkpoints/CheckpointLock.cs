namespace Bus.Core.Checkpoints;

/// <summary>
/// An exclusive lock on a checkpoint folder for the length of one <c>Fit</c>: two runs writing one
/// <c>last.safetensors</c> would overwrite each other's checkpoints. The lock is an OS file lock on
/// <c>.lock</c> (released by the OS when the holder dies, so a killed run never blocks the next one); the holder's
/// PID is kept in <c>.lock.owner</c> for the error message. An owner file whose lock is free is stale (its run was
/// killed) and is taken over. Taking the lock also removes orphan temporary files of interrupted atomic writes.
/// Releasing removes the owner file first, then releases the OS lock, and leaves <c>.lock</c> in place (see <see cref="Dispose"/>).
/// </summary>
internal sealed class CheckpointLock : IDisposable
{
    private const string LockName = ".lock";
    private const string OwnerName = ".lock.owner";
    private readonly FileStream _stream;
    private readonly string _directory;
    private bool _disposed;

    private CheckpointLock(FileStream stream, string directory, string? staleOwner, int orphansRemoved)
    {
        _stream = stream;
        _directory = directory;
        StaleOwner = staleOwner;
        OrphansRemoved = orphansRemoved;
    }

    /// <summary>The owner line of a stale lock that was taken over (its run ended without releasing it), or null.</summary>
    public string? StaleOwner { get; }

    /// <summary>Orphan temporary files (<c>.*.tmp</c> of interrupted atomic writes) removed when the lock was taken.</summary>
    public int OrphansRemoved { get; }

    /// <summary>Takes the lock on <paramref name="directory"/> (created if missing).</summary>
    /// <exception cref="CheckpointLockedException">Another live process holds it.</exception>
    public static CheckpointLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        string lockPath = Path.Combine(directory, LockName), ownerPath = Path.Combine(directory, OwnerName);
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive, non-blocking OS lock (flock on Unix, a share lock on Windows).
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new CheckpointLockedException(directory, ReadOwner(ownerPath), e);
        }

        string? stale = ReadOwner(ownerPath);
        File.WriteAllText(ownerPath, string.Create(CultureInfo.InvariantCulture,
            $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:O}"));
        int orphans = 0;
        foreach (var temp in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            try
            {
                File.Delete(temp);
                orphans++;
            }
            catch (IOException)
            {
                // Best effort: an orphan that cannot be removed never replaces a checkpoint.
            }
        }

        return new CheckpointLock(stream, directory, stale, orphans);
    }

    private static string? ReadOwner(string ownerPath)
    {
        try
        {
            return File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Called after each step of <see cref="Dispose"/> with the step's name ("owner removed", "released"); tests use it to try the
    /// lock between steps.</summary>
    internal Action<string>? ReleaseStep { get; set; }

    /// <summary>
    /// Removes the owner file while the lock is still held, then releases the lock. The <c>.lock</c> file itself is never
    /// deleted: deleting it (before or after the release) lets a second run create a new <c>.lock</c> and lock that
    /// while a third run (or this one) holds the old file's lock, so two runs would hold "the" lock at once. Kept, it is
    /// one file whose OS lock every run contends for; an empty <c>.lock</c> without an owner file is a free lock.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            File.Delete(Path.Combine(_directory, OwnerName));
        }
        catch (IOException)
        {
            // A file left behind is a stale owner line the next run takes over.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }

        ReleaseStep?.Invoke("owner removed");
        _stream.Dispose();
        ReleaseStep?.Invoke("released");
    }
}

/// <summary>Another live process holds the lock on a checkpoint folder.</summary>
public sealed class CheckpointLockedException : IOException
{
    /// <summary>Creates the exception for <paramref name="directory"/>, held by <paramref name="owner"/> (its PID line, when
    /// known).</summary>
    public CheckpointLockedException(string directory, string? owner, Exception? inner = null)
        : base(
            $"Checkpoint folder '{directory}' is in use by another run ({owner ?? "owner unknown"}); wait for it to finish or use " +
            $"another checkpoint folder.", inner)
    {
        Directory = directory;
        Owner = owner;
    }

    /// <summary>The locked folder.</summary>
    public string Directory { get; }

    /// <summary>The holder's owner line (<c>pid N on host since time</c>), or null when unknown.</summary>
    public string? Owner { get; }
}
