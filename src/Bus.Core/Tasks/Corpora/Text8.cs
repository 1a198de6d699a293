namespace Bus.Core.Tasks.Corpora;

/// <summary>
/// text8-style normalisation (Matt Mahoney's <c>wikifil.pl</c> rules, as used to make text8):
/// lowercase, letters a-z kept, every digit spelled as a word, everything else a space,
/// runs of spaces collapsed to one, no leading or trailing space.
/// </summary>
public static class Text8
{
    /// <summary>Normalises <paramref name="raw"/>; for example <c>"A10b!"</c> becomes <c>"a one zero b"</c>.</summary>
    public static string Normalize(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var output = new StringBuilder(raw.Length);
        var normalizer = new Text8Normalizer(output);
        normalizer.Append(raw);
        return output.ToString();
    }

    /// <summary>
    /// Streams <paramref name="reader"/> through the normalisation into <paramref name="writer"/>
    /// without holding the whole text in memory; returns the number of characters written.
    /// </summary>
    public static long Normalize(TextReader reader, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        var normalizer = new Text8Normalizer(writer);
        var buffer = new char[1 << 16];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            normalizer.Append(buffer.AsSpan(0, read));
        return normalizer.Written;
    }

    /// <summary>
    /// True when <paramref name="text"/> is already normalised, i.e. <see cref="Normalize(string)"/>
    /// would return it unchanged: only ' ' and 'a'..'z', no leading, trailing or doubled space.
    /// The empty string is text8.
    /// </summary>
    public static bool IsText8(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is >= 'a' and <= 'z') continue;
            if (c != ' ') return false;
            // A space must sit between two letters.
            if (i == 0 || i == text.Length - 1 || text[i - 1] == ' ') return false;
        }
        return true;
    }

    /// <summary>Most characters <see cref="Load"/> returns (a .NET string holds at most about 2^30).</summary>
    public const int MaxLoadedCharacters = 1_000_000_000;

    /// <summary>
    /// Reads the text file at <paramref name="path"/> (text8 itself or any other UTF-8 text) and returns it normalised;
    /// the file is streamed, so text8's 100M characters need no second copy. The file is read through
    /// <see cref="CorpusText"/>: at most <see cref="CorpusText.MaxBytes"/> bytes of UTF-8, no binary, UTF-16 or UTF-32.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty, names a folder, or the file holds no letters or digits.</exception>
    /// <exception cref="FileNotFoundException">No file exists at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not UTF-8 text, is longer than <see cref="CorpusText.MaxBytes"/>, or
    /// normalises to more than <see cref="MaxLoadedCharacters"/> characters (the message names the file).</exception>
    public static string Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new ArgumentException($"'{path}' is a folder; pass the path of a text file (e.g. text8).", nameof(path));
        if (!File.Exists(path))
            throw new FileNotFoundException($"Corpus file '{path}' does not exist.", path);

        using var reader = new StreamReader(CorpusText.OpenRead(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var output = new StringBuilder(checked((int)Math.Min(new FileInfo(path).Length, MaxLoadedCharacters)));
        var normalizer = new Text8Normalizer(output);
        var buffer = new char[1 << 16];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            normalizer.Append(buffer.AsSpan(0, read));
            if (output.Length > MaxLoadedCharacters)
                throw new InvalidDataException(
                    $"Corpus '{path}' normalises to more than {MaxLoadedCharacters:N0} characters; " +
                    "prepare it as a .bustok token stream (bus prepare).");
        }

        string text = output.ToString();
        if (text.Length == 0)
            throw new ArgumentException($"Corpus file '{path}' contains no letters or digits.", nameof(path));
        return text;
    }
}
