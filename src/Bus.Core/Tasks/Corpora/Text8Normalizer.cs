namespace Bus.Core.Tasks.Corpora;

/// <summary>
/// The streaming core of <see cref="Text8"/>: characters go in, normalised text comes out.
/// A space is only written once the next word starts, so runs collapse and the end is trimmed.
/// </summary>
internal sealed class Text8Normalizer
{
    private static readonly string[] DigitWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    private readonly Action<char> _write;
    private readonly Action<string> _writeWord;
    private bool _spacePending;
    private bool _started;

    public Text8Normalizer(StringBuilder output)
    {
        _write = c => output.Append(c);
        _writeWord = s => output.Append(s);
    }

    public Text8Normalizer(TextWriter output)
    {
        _write = output.Write;
        _writeWord = output.Write;
    }

    /// <summary>Characters written so far.</summary>
    public long Written { get; private set; }

    public void Append(ReadOnlySpan<char> raw)
    {
        foreach (char c in raw)
        {
            if (c is >= 'a' and <= 'z') Letter(c);
            else if (c is >= 'A' and <= 'Z') Letter((char)(c - 'A' + 'a'));   // rule: lowercase
            else if (c is >= '0' and <= '9') Digit(c);                          // rule: digits spelled
            else _spacePending = true;                                          // rule: anything else is a space
        }
    }

    private void Letter(char c)
    {
        StartToken();
        _write(c);
        Written++;
    }

    // "a10b" -> "a one zero b": each digit is its own word.
    private void Digit(char c)
    {
        _spacePending = true;
        StartToken();
        string word = DigitWords[c - '0'];
        _writeWord(word);
        Written += word.Length;
        _spacePending = true;
    }

    // Rule: runs of spaces collapse to one, and there is no leading space.
    private void StartToken()
    {
        if (_spacePending && _started)
        {
            _write(' ');
            Written++;
        }
        _spacePending = false;
        _started = true;
    }
}
