namespace Bus.Cli.Infrastructure;

/// <summary>
/// Writes a folder of files all at once: the files are written into a hidden temporary sibling
/// (<c>.NAME.GUID.tmp</c>), which then becomes the folder (renamed when the folder does not exist, its files moved in
/// when it does). A failure or cancellation before that removes the sibling and any folder made above it, so neither
/// an empty nor a half-written folder is left behind; a folder that existed keeps its other files.
/// </summary>
internal static class StagedFolder
{
    /// <summary>
    /// Runs <paramref name="write"/> on a temporary sibling of <paramref name="folder"/>, then moves its files into
    /// <paramref name="folder"/>; <paramref name="cancellationToken"/> is checked after writing, before anything moves.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; nothing was moved and the sibling is removed.</exception>
    public static void Write(string folder, Action<string> write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string parent = Path.GetDirectoryName(full)
            ?? throw new ArgumentException($"'{folder}' has no parent folder to stage in.", nameof(folder));
        string? existing = parent;
        while (existing is not null && !Directory.Exists(existing)) existing = Path.GetDirectoryName(existing);
        Directory.CreateDirectory(parent);
        string temp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        bool done = false;
        try
        {
            Directory.CreateDirectory(temp);
            write(temp);
            cancellationToken.ThrowIfCancellationRequested();
            if (!Directory.Exists(full))
            {
                Directory.Move(temp, full);
            }
            else
            {
                foreach (string file in Directory.GetFiles(temp))
                    File.Move(file, Path.Combine(full, Path.GetFileName(file)), overwrite: true);
            }

            done = true;
        }
        finally
        {
            Remove(() => { if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true); });
            // On failure, the folders made above it for the staging folder go too (only while empty).
            for (string? made = parent; !done && made is not null && made != existing; made = Path.GetDirectoryName(made))
            {
                string folderToRemove = made;
                Remove(() =>
                {
                    if (Directory.Exists(folderToRemove) && !Directory.EnumerateFileSystemEntries(folderToRemove).Any())
                        Directory.Delete(folderToRemove);
                });
            }
        }
    }

    private static void Remove(Action remove)
    {
        try { remove(); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
