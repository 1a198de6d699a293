using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Bus.Core.Data;
using Bus.Cli.Infrastructure;
using Bus.Core.Training;

namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus prepare</c>: normalises a text file as text8 and writes it once as a <c>.bustok</c> token stream
/// (<see cref="TokenStreamFile"/>), printing progress every 10 % and the time taken; <c>bus train --task charlm</c>
/// then memory-maps it.
/// </summary>
public static class PrepareCommand
{
    private static readonly Argument<string> Input = new("input")
    {
        Description = "UTF-8 text file of at most 1 GiB (normalised as text8; binary, UTF-16 and UTF-32 files are refused)",
    };
    private static readonly Option<string?> Output = new("--output") { Description = "token-stream path (default: INPUT.bustok)" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("prepare", "Normalise a text file as text8 and write it as a memory-mappable .bustok token stream.");
        command.Add(Input);
        command.Add(Output);
        command.SetAction((parse, ct) =>
        {
            string input = parse.GetValue(Input)!;
            Prepare(input, parse.GetValue(Output) ?? input + TokenStreamFile.Extension, ct);
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
        int lastTenth = -1;
        var header = TokenStreamFile.Prepare(input, output, new InlineProgress<double>(fraction =>
        {
            int tenth = (int)(fraction * 10);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prepare {input}: {tenth * 10}% ({clock.Elapsed.TotalSeconds:F1} s)"));
        }), ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"prepared {output}: {header.Count:N0} tokens ({header.Dtype}, vocabulary {header.Vocabulary.Length}, sha256 {header.Sha256[..12]}…) in {clock.Elapsed.TotalSeconds:F2} s"));
        return header;
    }
}
