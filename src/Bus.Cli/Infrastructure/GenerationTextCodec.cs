using Bus.Core.Data;
using Bus.Core.Model;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// The one place where <c>bus generate</c> turns text into token ids and back (the seam where a tokenizer interface plugs
/// in). Today Bus checkpoints carry no tokenizer: a char LM from <c>bus train</c> reads the 27-symbol text8 alphabet
/// (<see cref="CharVocabulary"/>: ' ' is 0, 'a'..'z' are 1..26), so that is the only vocabulary this codec knows.
/// </summary>
internal sealed class GenerationTextCodec
{
    private readonly string _symbols;

    private GenerationTextCodec(string symbols, string description) => (_symbols, Description) = (symbols, description);

    /// <summary>What the vocabulary is, for error messages.</summary>
    public string Description { get; }

    /// <summary>The codec of the tokenizer <paramref name="model"/> was trained with.</summary>
    /// <exception cref="ArgumentException">The model's vocabulary is not one this codec knows (named by <paramref
    /// name="option"/>).</exception>
    public static GenerationTextCodec For(GrowableTransformer model, string option)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config.VocabSize != CharVocabulary.Size)
            throw new ArgumentException(
                $"{option}: the model has {model.Config.VocabSize} symbols; "
                + $"bus generate reads text8 character models ({CharVocabulary.Size} symbols) only.",
                option);
        return new GenerationTextCodec(CharVocabulary.Alphabet, "the text8 alphabet: ' ' and 'a'..'z'");
    }

    /// <summary>Token ids of <paramref name="text"/>; a character outside the vocabulary is an error naming it and its position.</summary>
    public int[] Encode(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            int id = _symbols.IndexOf(text[i], StringComparison.Ordinal);
            if (id < 0)
                throw new ArgumentException(
                    $"{option}: character {Describe(text[i])} at position {i} is not in the model's vocabulary ({Description}).", option);
            ids[i] = id;
        }
        return ids;
    }

    /// <summary>The text of token <paramref name="id"/>.</summary>
    public string Decode(int id) => _symbols[id].ToString();

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
