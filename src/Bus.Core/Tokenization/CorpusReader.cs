namespace Bus.Core.Tokenization;

/// <summary>
/// Reads a corpus as a stream of document pieces (<see cref="CorpusChunk"/>), in memory independent of the corpus's size:
/// a text file (<see cref="TextFileCorpus"/>), a folder of text files (each a document), JSON Lines
/// (<see cref="JsonLinesCorpus"/>, one document per line from a field) or Parquet (<see cref="ParquetCorpus"/>, one per row
/// from a string column). <see cref="Open"/> picks one from the path and options.
/// </summary>
public abstract class CorpusReader
{
    /// <summary>The pieces in order; errors (invalid UTF-8, binary input, a missing field or column) are one
    /// <see cref="InvalidDataException"/> naming the file and where.</summary>
    public abstract IEnumerable<CorpusChunk> Read(CancellationToken cancellationToken = default);

    /// <summary>Fraction of the input read so far, 0..1.</summary>
    public abstract double Progress { get; }

    /// <summary>
    /// The reader for <paramref name="input"/>: a folder (every file below it, in ordinal path order, each a document), JSON
    /// Lines (<paramref name="field"/> given, or a .jsonl/.ndjson file: field "text" by default), Parquet
    /// (<paramref name="column"/> given, or a .parquet file: column "text" by default), else one text file.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing at the path.</exception>
    /// <exception cref="ArgumentException">--field on a non-JSON-Lines input or --column on a non-Parquet input (the message
    /// names the option), or both.</exception>
    public static CorpusReader Open(string input, string? field = null, string? column = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        if (field is not null && column is not null)
            throw new ArgumentException(
                $"--field {field}: cannot be combined with --column (one is for JSON Lines, the other for Parquet).", "--field");
        bool folder = Directory.Exists(input);
        if (!folder && !File.Exists(input)) throw new FileNotFoundException($"Corpus '{input}' does not exist.", input);
        string ext = Path.GetExtension(input).ToLowerInvariant();
        bool jsonl = ext is ".jsonl" or ".ndjson", parquet = ext == ".parquet";
        if (field is not null && (folder || parquet))
            throw new ArgumentException(
                $"--field {field}: applies to a JSON Lines file, and '{input}' is " +
                $"{(folder ? "a folder" : "a Parquet file (use --column)")}.", "--field");
        if (column is not null && (folder || !parquet))
            throw new ArgumentException(
                $"--column {column}: applies to a Parquet file (.parquet), and '{input}' is {(folder ? "a folder" : "not one")}.",
                "--column");
        if (folder) return new FolderCorpus(input);
        if (parquet) return new ParquetCorpus(input, column ?? "text");
        if (jsonl || field is not null) return new JsonLinesCorpus(input, field ?? "text");
        return new TextFileCorpus(input);
    }
}
