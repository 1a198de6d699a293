namespace Bus.Experiments.Tests;

/// <summary>The study reads a .bustok stream over the text8 alphabet back as text, and refuses other vocabularies.</summary>
public sealed class StudyCorpusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-study-corpus").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TokenStreamDecodesToItsText()
    {
        string path = Path.Combine(_dir, "t.bustok");
        // ids in " abcdefghijklmnopqrstuvwxyz": 2 = 'b', 1 = 'a', 0 = ' ', 26 = 'z'
        TokenStreamFile.Write(path, new ushort[] { 2, 1, 0, 26 }, CharVocabulary.Alphabet);
        StudyCorpus.Load(path).Should().Be("ba z");
    }

    [Fact]
    public void TokenStreamWithAnotherVocabularyIsRefusedNamingBoth()
    {
        string path = Path.Combine(_dir, "v.bustok");
        TokenStreamFile.Write(path, new ushort[] { 0, 1 }, "xy");
        var act = () => StudyCorpus.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*\"xy\"*abcdefghijklmnopqrstuvwxyz*");
    }
}
