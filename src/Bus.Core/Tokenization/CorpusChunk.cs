namespace Bus.Core.Tokenization;

/// <summary>A piece of a corpus document as a <see cref="CorpusReader"/> yields it.</summary>
/// <param name="Text">The text (a whole document, or a piece ending at a line break).</param>
/// <param name="StartsDocument">True for the first piece of a document (a separator goes before it, unless it is the first).</param>
public readonly record struct CorpusChunk(string Text, bool StartsDocument);
