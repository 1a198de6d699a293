namespace Bus.Core.Tasks.Corpora;

/// <summary>Text corpora shipped inside Bus.Core, so the tasks run with no download.</summary>
public static class BuiltInCorpus
{
    private const string BrownSliceResource = "Bus.Core.Tasks.Corpora.Resources.brown-slice.txt";

    private static readonly Lazy<string> s_brownSlice = new(() => ReadResource(BrownSliceResource));

    /// <summary>
    /// About 300 KB of the Brown corpus as text8-style text: the start of the first two files of
    /// each of the 15 genres (ca01, ca02, cb01, cb02, ..., cr01, cr02), 20,000 characters or fewer
    /// per genre, cut at a word boundary. See docs/tasks.md for its provenance and licence.
    /// </summary>
    public static string BrownSlice() => s_brownSlice.Value;

    private static string ReadResource(string name)
    {
        using var stream = typeof(BuiltInCorpus).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Embedded resource '{name}' is missing from {typeof(BuiltInCorpus).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
