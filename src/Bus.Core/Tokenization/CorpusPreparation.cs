namespace Bus.Core.Tokenization;

/// <summary>
/// Tokenizes a corpus (<see cref="CorpusReader"/>: a text file, a folder, JSON Lines, Parquet) with any
/// <see cref="ITextTokenizer"/> into a <c>.bustok</c> token stream, streamed: memory depends on the piece and buffer sizes,
/// not on the corpus. Documents are separated by the tokenizer's <see cref="ITextTokenizer.DocumentSeparator"/>; the header
/// names the tokenizer (identity, vocabulary size) and records the text's UTF-8 bytes, for bits per byte.
/// </summary>
public static class CorpusPreparation
{
    /// <summary>
    /// Reads <paramref name="reader"/>, tokenizes with <paramref name="tokenizer"/> and writes <paramref name="outputPath"/>
    /// atomically (a temporary file unique to this call, moved into place; removed on failure or cancellation).
    /// <paramref name="progress"/> receives the fraction of the input read.
    /// </summary>
    /// <exception cref="InvalidDataException">The input is not valid (see the reader) or holds no tokens.</exception>
    public static TokenStreamHeader Prepare(CorpusReader reader, ITextTokenizer tokenizer, string outputPath, string source,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        using var writer = new TokenStreamWriter(outputPath, tokenizer, source ?? "");
        long bytes = 0, documents = 0;
        bool wroteInDocument = false;
        foreach (var chunk in reader.Read(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = tokenizer.Encode(chunk.Text);
            bytes += Encoding.UTF8.GetByteCount(chunk.Text);
            if (chunk.StartsDocument)
            {
                documents++;
                wroteInDocument = false;
            }
            if (ids.Count > 0)
            {
                // Between two documents: the document separator; between two pieces of one document: the chunk separator.
                int? separator = !wroteInDocument ? tokenizer.DocumentSeparator : tokenizer.ChunkSeparator;
                if (writer.Count > 0 && separator is { } s) writer.Write(s);
                writer.Write(ids);
                wroteInDocument = true;
            }
            progress?.Report(reader.Progress);
        }
        if (writer.Count == 0)
            throw new InvalidDataException($"Corpus '{source}' holds no text that tokenizer {tokenizer.Identity.Name} turns into tokens.");
        var header = writer.Complete(bytes, documents);
        progress?.Report(1.0);
        return header;
    }
}
