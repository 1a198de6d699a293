using System.Text;

namespace Bus.Experiments.Study;

/// <summary>The study's text: a <c>.bustok</c> token stream over the text8 alphabet (decoded back to text), or any text file (normalised
/// like text8).</summary>
public static class StudyCorpus
{
    /// <summary>Loads <paramref name="path"/>: a verified <c>.bustok</c> whose vocabulary is the text8 alphabet, or text through
    /// <see cref="Text8.Load"/>.</summary>
    /// <exception cref="InvalidDataException">The token stream fails verification or uses another vocabulary (the message names
    /// both).</exception>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    public static string Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.EndsWith(TokenStreamFile.Extension, StringComparison.OrdinalIgnoreCase)) return Text8.Load(path);
        TokenStreamFile.Verify(path);
        var (header, offset) = TokenStreamFile.ReadHeader(path);
        if (header.Vocabulary != CharVocabulary.Alphabet)
            throw new InvalidDataException(
                $"Token stream '{path}' has vocabulary \"{header.Vocabulary}\"; the study's char LM needs \"{CharVocabulary.Alphabet}\".");
        int width = header.BytesPerToken;
        using var stream = File.OpenRead(path);
        stream.Position = offset;
        var bytes = new byte[checked(header.Count * width)];
        stream.ReadExactly(bytes);
        var text = new StringBuilder((int)header.Count);
        for (long i = 0; i < header.Count; i++)
        {
            int id = width == 1 ? bytes[i] : bytes[2 * i] | (bytes[2 * i + 1] << 8);
            text.Append(header.Vocabulary[id]);
        }
        return text.ToString();
    }
}
