namespace Bus.Cli.Infrastructure;

/// <summary>
/// Checks output paths before any compute, so a run never trains for hours and then fails to write its result.
/// Each check names the option and the path and throws the CLI's user-error exceptions.
/// </summary>
internal static class OutputPaths
{
    /// <summary>
    /// A file will be written at <paramref name="path"/>: its folder must exist and accept a new file, and the path must
    /// not be a folder.
    /// </summary>
    public static void RequireWritableFile(string option, string? path)
    {
        if (path is null) return;
        string full = Given(option, path);
        if (Directory.Exists(full)) throw new ArgumentException($"{option} '{path}': is a folder, not a file.", option);
        string folder = Path.GetDirectoryName(full)!;
        if (File.Exists(folder)) throw new ArgumentException($"{option} '{path}': '{folder}' is a file, not a folder.", option);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{option} '{path}': folder '{folder}' does not exist.");
        Probe(option, path, folder);
    }

    /// <summary>
    /// Files will be written in the folder <paramref name="path"/>: it is created when missing; it must not be a file
    /// and must accept a new file.
    /// </summary>
    public static void RequireWritableFolder(string option, string? path)
    {
        if (path is null) return;
        string full = Given(option, path);
        RequireNotFile(option, path, full);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} '{path}': the folder cannot be created ({e.Message}).", option, e);
        }

        Probe(option, path, full);
    }

    /// <summary>
    /// A folder will be written at <paramref name="path"/> later, all at once (<see cref="StagedFolder"/>): it must not be a
    /// file; an existing folder must accept a new file; a missing one is not created now, but the nearest folder above it
    /// that exists must accept a new file (the folder, and the staging folder beside it, are made there).
    /// </summary>
    public static void RequireCreatableFolder(string option, string? path)
    {
        if (path is null) return;
        string full = Given(option, path);
        RequireNotFile(option, path, full);
        if (Directory.Exists(full))
        {
            Probe(option, path, full);
            return;
        }

        string? above = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full));
        while (above is not null && !Directory.Exists(above))
        {
            if (File.Exists(above)) throw new ArgumentException($"{option} '{path}': '{above}' is a file, not a folder.", option);
            above = Path.GetDirectoryName(above);
        }

        if (above is null) throw new DirectoryNotFoundException($"{option} '{path}': no folder above it exists.");
        Probe(option, path, above);
    }

    /// <summary>The full path of a given option; throws when it is empty or malformed.</summary>
    private static string Given(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} '{path}': the path is empty.", option);
        return FullPath(option, path);
    }

    /// <summary>A folder is wanted at <paramref name="full"/>: it must not be a file.</summary>
    private static void RequireNotFile(string option, string path, string full)
    {
        if (File.Exists(full)) throw new ArgumentException($"{option} '{path}': is a file, not a folder.", option);
    }

    private static string FullPath(string option, string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"{option} '{path}': not a valid path ({e.Message}).", option, e);
        }
    }

    /// <summary>
    /// Creates and deletes a probe file: the only reliable test that the folder takes new files (permissions, read-only
    /// mounts, full disks of inodes).
    /// </summary>
    private static void Probe(string option, string path, string folder)
    {
        string probe = Path.Combine(folder, $".bus-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} '{path}': cannot write in '{folder}' ({e.Message}).", option, e);
        }
    }
}
