namespace Bus.Core.Tokenization;

/// <summary>
/// A folder of UTF-8 text files: every file below it (recursively, in ordinal order of the relative path; hidden files and
/// folders, whose names start with '.', are skipped) is one document, read as <see cref="TextFileCorpus"/> reads a file.
/// </summary>
public sealed class FolderCorpus : CorpusReader
{
    private readonly string[] _files;
    private readonly long _total;
    private long _done, _current;

    /// <summary>Reads the files below <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidDataException">The folder holds no file.</exception>
    public FolderCorpus(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .OrderBy(f => Path.GetRelativePath(folder, f), StringComparer.Ordinal)
            .ToArray();
        if (_files.Length == 0) throw new InvalidDataException($"Corpus folder '{folder}' holds no files.");
        _total = Math.Max(1, _files.Sum(f => new FileInfo(f).Length));
    }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc />
    public override double Progress => Math.Min(1.0, (double)(_done + _current) / _total);

    /// <inheritdoc />
    public override IEnumerable<CorpusChunk> Read(CancellationToken cancellationToken = default)
    {
        foreach (var file in _files)
        {
            bool first = true;
            foreach (var piece in TextFileCorpus.Pieces(file, p => _current = p, cancellationToken))
            {
                yield return new CorpusChunk(piece, first);
                first = false;
            }
            _done += new FileInfo(file).Length;
            _current = 0;
        }
    }
}
