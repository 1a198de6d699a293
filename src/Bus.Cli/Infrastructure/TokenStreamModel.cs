namespace Bus.Cli.Infrastructure;

/// <summary>
/// What <c>bus train</c> takes from a token stream: the model's vocabulary size (the stream's tokenizer's, rounded up to a
/// multiple of 64 except for character streams: <see cref="TextTokenizers.ModelVocabularySize"/>) and bits per byte.
/// </summary>
internal static class TokenStreamModel
{
    /// <summary>
    /// The model's VocabSize for <paramref name="train"/>: from its stream's tokenizer, or <paramref name="fallback"/> for
    /// in-memory data.
    /// </summary>
    public static int VocabSize(ITrainingData train, int fallback) => train is TokenStreamData stream
        ? TextTokenizers.ModelVocabularySize(stream.VocabularySize, characters: stream.Header.Vocabulary.Length > 0)
        : fallback;

    /// <summary>", dev bits/byte X (tokenizer, B bytes/token)" for a stream whose header records its text's bytes; else empty.</summary>
    public static string BitsPerByteText(ITrainingData train, double devLossNats)
    {
        if (train is not TokenStreamData { Header: { TextBytes: > 0 and var bytes, Count: > 0 and var tokens } header }
            || !double.IsFinite(devLossNats) || devLossNats < 0) return "";
        double bpb = BitsPerByte.FromCrossEntropy(devLossNats, tokens, bytes);
        return string.Create(CultureInfo.InvariantCulture,
            $", dev bits/byte {bpb:F4} ({header.TokenizerIdentity.Name}, {(double)bytes / tokens:F3} bytes/token)");
    }
}
