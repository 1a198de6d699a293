namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus prepare</c>: tokenizes a corpus (a text file, a folder of text files, JSON Lines with <c>--field</c>, Parquet with
/// <c>--column</c>) with any tokenizer (<c>--tokenizer</c>: text8 by default, byte, gpt2, cl100k, o200k, sentencepiece:PATH,
/// hf:PATH) and writes it once as a <c>.bustok</c> token stream (<see cref="TokenStreamFile"/>,
/// <see cref="CorpusPreparation"/>), streamed, printing progress every 10 % and the time taken; <c>bus train --corpus</c>
/// then reads it.
/// </summary>
public static class PrepareCommand
{
    private static readonly Argument<string> Input = new("input")
    {
        Description = "UTF-8 text file of at most 1 GiB, a folder of them (each a document), JSON Lines (.jsonl) or Parquet (.parquet); "
            + "binary, UTF-16 and UTF-32 files are refused",
    };
    private static readonly Option<string> TokenizerName = RunOptions.Create<string>("--tokenizer",
        "byte, text8, gpt2, cl100k, o200k, sentencepiece:PATH (a tokenizer.model) or hf:PATH (a tokenizer.json)", "text8");
    private static readonly Option<string?> Field = new("--field") { Description = "JSON Lines: the string field holding each "
        + "document (default text)" };
    private static readonly Option<string?> Column = new("--column") { Description = "Parquet: the string column holding each "
        + "document (default text)" };
    private static readonly Option<string?> Output = new("--output") { Description = "token-stream path (default: INPUT.bustok)" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("prepare",
            "Tokenize a corpus (text, folder, JSON Lines, Parquet) and write it as a memory-mappable .bustok token stream.",
            Input, Output, TokenizerName, Field, Column);
        command.SetAction((parse, ct) =>
        {
            string input = parse.GetValue(Input)!, tokenizer = parse.GetValue(TokenizerName)!;
            string? field = parse.GetValue(Field), column = parse.GetValue(Column);
            string output = parse.GetValue(Output) ?? input.TrimEnd('/', Path.DirectorySeparatorChar) + TokenStreamFile.Extension;
            if (tokenizer == "text8" && field is null && column is null && File.Exists(input) && !IsStructured(input))
                Prepare(input, output, ct);
            else
                PrepareCorpus(input, output, tokenizer, field, column, ct);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// Prepares <paramref name="input"/> into <paramref name="output"/>, printing progress and the time taken. Before any
    /// work the input's start is checked (<see cref="CorpusText.Check"/>) and the output path must take a new file
    /// (<see cref="OutputPaths.RequireWritableFile"/>; <paramref name="outputOption"/> names it in the error).
    /// </summary>
    /// <exception cref="FileNotFoundException">The input does not exist.</exception>
    /// <exception cref="InvalidDataException">The input is not UTF-8 text or is longer than <see cref="CorpusText.MaxBytes"/>.</exception>
    /// <exception cref="ArgumentException">The output path is a folder or cannot be written.</exception>
    public static TokenStreamHeader Prepare(string input, string output, CancellationToken ct = default, string outputOption = "--output")
    {
        if (!File.Exists(input)) throw new FileNotFoundException($"prepare: input {input} does not exist.", input);
        CorpusText.Check(input);
        OutputPaths.RequireWritableFile(outputOption, output);
        var clock = Stopwatch.StartNew();
        var header = TokenStreamFile.Prepare(input, output, EveryTenth(input, clock), ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"prepared {output}: {header.Count:N0} tokens ({header.Dtype}, vocabulary {header.Vocabulary.Length}, sha256 "
                + $"{header.Sha256[..12]}…) in {clock.Elapsed.TotalSeconds:F2} s"));
        return header;
    }

    /// <summary>
    /// Prepares any corpus with the tokenizer named <paramref name="tokenizerName"/> (<see cref="TextTokenizers.Create"/>):
    /// every check (the tokenizer, the input, the options that apply to it, the output path) runs before any work.
    /// </summary>
    /// <exception cref="ArgumentException">The tokenizer name is unknown, --field/--column do not apply, or the output path
    /// cannot be written.</exception>
    /// <exception cref="FileNotFoundException">The input or the tokenizer's file does not exist.</exception>
    /// <exception cref="InvalidDataException">The input is not UTF-8 text, a field or column does not exist, or it holds no
    /// tokens.</exception>
    public static TokenStreamHeader PrepareCorpus(string input, string output, string tokenizerName, string? field, string? column,
        CancellationToken ct = default)
    {
        if (!File.Exists(input) && !Directory.Exists(input)) throw new FileNotFoundException($"prepare: input {input} does not "
            + $"exist.", input);
        ITextTokenizer tokenizer;
        try { tokenizer = TextTokenizers.Create(tokenizerName); }
        catch (ArgumentException e) { throw new ArgumentException($"--tokenizer {tokenizerName}: "
            + $"{e.Message.Split(" (Parameter")[0]}", "--tokenizer", e); }
        var reader = CorpusReader.Open(input, field, column);
        if (reader is TextFileCorpus) CorpusText.Check(input);
        OutputPaths.RequireWritableFile("--output", output);
        var clock = Stopwatch.StartNew();
        var header = CorpusPreparation.Prepare(reader, tokenizer, output, Path.GetFileName(input.TrimEnd('/', Path.DirectorySeparatorChar)),
            EveryTenth(input, clock), ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"prepared {output}: {header.Count:N0} tokens of {tokenizer.Identity} ({header.Dtype}, vocabulary {header.VocabularySize}, "
            + $"{header.Documents:N0} documents, {header.TextBytes:N0} bytes, {(double)header.TextBytes! / header.Count:F2} bytes/token) "
            + $"in {clock.Elapsed.TotalSeconds:F2} s"));
        return header;
    }

    private static bool IsStructured(string input) =>
        Path.GetExtension(input).ToLowerInvariant() is ".jsonl" or ".ndjson" or ".parquet";

    /// <summary>Progress of preparing <paramref name="input"/>: a line at each tenth of the input read.</summary>
    private static InlineProgress<double> EveryTenth(string input, Stopwatch clock)
    {
        int lastTenth = -1;
        return new InlineProgress<double>(fraction =>
        {
            int tenth = (int)(fraction * 10);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"prepare {input}: {tenth * 10}% ({clock.Elapsed.TotalSeconds:F1} s)"));
        });
    }
}
