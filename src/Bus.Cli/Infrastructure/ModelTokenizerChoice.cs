namespace Bus.Cli.Infrastructure;

/// <summary>
/// The tokenizer a command uses with a saved model: the one named by <c>--tokenizer</c>, which must be the model's when the
/// model records one (<see cref="ModelTokenizer"/>), else the model's own. Models saved before models recorded their
/// tokenizer have none: then <c>--tokenizer</c> alone decides, as before.
/// </summary>
internal static class ModelTokenizerChoice
{
    /// <summary>The record in the model file at <paramref name="modelPath"/> (header only), or null; a malformed record is an
    /// error naming <paramref name="modelOption"/>.</summary>
    public static ModelTokenizer? Recorded(string modelPath, string modelOption)
    {
        try { return ModelTokenizer.Read(modelPath); }
        catch (InvalidDataException e)
        {
            string reason = e.Message.Replace($"'{modelPath}': ", "", StringComparison.Ordinal);
            throw new InvalidDataException($"{modelOption} {modelPath}: {reason}", e);
        }
    }

    /// <summary>
    /// The tokenizer for a model recording <paramref name="recorded"/> (or null) when <paramref name="spec"/> (or null) is given:
    /// null when neither names one (the caller's default applies).
    /// </summary>
    /// <exception cref="ArgumentException">The spec is unknown, or its tokenizer differs from the model's (both identities named),
    /// or the model's tokenizer cannot be rebuilt and no spec names it.</exception>
    public static ITextTokenizer? Resolve(ModelTokenizer? recorded, string? spec, string modelDescription, string option = "--tokenizer")
    {
        if (spec is not null)
        {
            var tokenizer = Create(spec, option);
            RequireSame(recorded, tokenizer.Identity, modelDescription, $"{option} {spec}", $"leave {option} out to use the model's");
            return tokenizer;
        }
        if (recorded is null) return null;
        if (!recorded.CanCreate)
            throw new ArgumentException($"{modelDescription}: the model's tokenizer is {recorded.Identity} ({recorded.Spec}), "
                + "but its files are "
                + $"not recorded; name it with {option} {recorded.Spec}.", option);
        try { return recorded.Create(); }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new ArgumentException($"{modelDescription}: {e.Message} Name the tokenizer with {option}.", option, e);
        }
    }

    /// <summary>Refuses <paramref name="identity"/> when the model records another tokenizer: the message names both.</summary>
    /// <exception cref="ArgumentException">The identities differ (<paramref name="what"/> names the option or input).</exception>
    public static void RequireSame(ModelTokenizer? recorded, TokenizerIdentity identity, string modelDescription, string what, string hint)
    {
        if (recorded is not null && recorded.Identity != identity)
            throw new ArgumentException($"{what}: its tokenizer is {identity}, but {modelDescription} was trained with {recorded.Identity} "
                + $"({recorded.Spec}); {hint}.", what.Split(' ')[0]);
    }

    /// <summary>The tokenizer named <paramref name="spec"/>; an unknown name or unreadable file is an error naming the option.</summary>
    public static ITextTokenizer Create(string spec, string option)
    {
        try { return TextTokenizers.Create(spec); }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
        {
            throw new ArgumentException($"{option} {spec}: {e.Message.Split(" (Parameter")[0]}", option, e);
        }
    }
}
