using Parquet;
using Parquet.Schema;

namespace Bus.Core.Tokenization;

/// <summary>
/// A Parquet file (read with Parquet.Net): each row's string column <see cref="Column"/> is one document (null rows are
/// skipped). One row group is in memory at a time. A column that does not exist or holds no strings is one error naming
/// the file, the column and the columns it has.
/// </summary>
public sealed class ParquetCorpus : CorpusReader
{
    private readonly string _path;
    private int _groupsDone, _groups = 1;

    /// <summary>Reads column <paramref name="column"/> of <paramref name="path"/>.</summary>
    public ParquetCorpus(string path, string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        (_path, Column) = (path, column);
    }

    /// <summary>The column read from each row.</summary>
    public string Column { get; }

    /// <inheritdoc />
    public override double Progress => Math.Min(1.0, (double)_groupsDone / Math.Max(1, _groups));

    /// <inheritdoc />
    public override IEnumerable<CorpusChunk> Read(CancellationToken cancellationToken = default)
    {
        using var file = File.OpenRead(_path);
        ParquetReader reader;
        try { reader = ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{_path}' is not a Parquet file Parquet.Net reads: {e.Message}", e);
        }
        try
        {
            var fields = reader.Schema.GetDataFields();
            var field = fields.FirstOrDefault(f => f.Name == Column || f.Path.ToString() == Column)
                ?? throw new InvalidDataException(
                    $"--column {Column}: '{_path}' has no column '{Column}' " +
                    $"(its columns: {string.Join(", ", fields.Select(f => f.Name))}).");
            if (field.ClrType != typeof(string) && field.ClrType != typeof(ReadOnlyMemory<char>))
                throw new InvalidDataException($"--column {Column}: '{_path}' column '{Column}' holds {field.ClrType.Name}, not strings.");
            _groups = reader.RowGroupCount;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string?[] values;
                using (var group = reader.OpenRowGroupReader(g))
                {
                    values = new string?[group.RowCount];
                    group.ReadAsync(field, values.AsMemory()!, null, cancellationToken).GetAwaiter().GetResult();
                }
                foreach (var value in values)
                    if (value is not null) yield return new CorpusChunk(value, true);
                _groupsDone = g + 1;
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
