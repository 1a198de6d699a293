namespace Bus.Core.Interop;

/// <summary>Options of <see cref="HuggingFaceCheckpoint.Save"/>; immutable, validated when set.</summary>
public sealed record HuggingFaceExportOptions
{
    private readonly string? _vocabulary;

    /// <summary>Defaults: the text8 alphabet as vocabulary when the model has 27 symbols, none otherwise.</summary>
    public static HuggingFaceExportOptions Default { get; } = new();

    /// <summary>
    /// The model's symbols in id order (e.g. <c>" abcdefghijklmnopqrstuvwxyz"</c>), written as <c>vocab.json</c>; its length
    /// must equal the model's vocabulary size. Null: the text8 alphabet for a 27-symbol model, no vocab.json otherwise.
    /// </summary>
    public string? Vocabulary
    {
        get => _vocabulary;
        init => _vocabulary = value is null ? null
            : value.Length == 0 ? throw new ArgumentException("Vocabulary must not be empty (use null for none).", nameof(Vocabulary))
            : value.Distinct().Count() != value.Length ? throw new ArgumentException($"Vocabulary \"{value}\" repeats a symbol.",
                nameof(Vocabulary))
            : value;
    }
}
