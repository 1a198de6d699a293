// Generates the API reference (docs/api/*.md) from the XML documentation files the build writes.
// Usage: dotnet build Bus.sln -c Release && dotnet run scripts/ApiReference.cs -- [configuration]
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

string configuration = args.Length > 0 ? args[0] : "Release";
string root = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", ".."));
string outDir = Path.Combine(root, "docs", "api");
Directory.CreateDirectory(outDir);
var index = new StringBuilder("# API reference\n\nGenerated from the XML documentation comments by `dotnet run scripts/ApiReference.cs` after a Release build.\n\n");
foreach (var project in new[] { "Bus.Core", "Bus.Growth", "Bus.Selection", "Bus.Optimizers", "Bus.MLNet" })
{
    string xmlPath = Path.Combine(root, "src", project, "bin", configuration, "net10.0", project + ".xml");
    if (!File.Exists(xmlPath)) { Console.Error.WriteLine($"missing {xmlPath}: build first"); return 1; }
    var members = XDocument.Load(xmlPath).Descendants("member")
        .Select(m => (Id: (string)m.Attribute("name")!, Summary: Text(m.Element("summary"))))
        .ToList();
    var page = new StringBuilder($"# {project}\n\n");
    foreach (var type in members.Where(m => m.Id.StartsWith("T:")).OrderBy(m => m.Id))
    {
        string typeName = type.Id[2..];
        page.Append($"## `{typeName}`\n\n{type.Summary}\n\n");
        var own = members.Where(m => !m.Id.StartsWith("T:") && Owner(m.Id) == typeName).ToList();
        if (own.Count == 0) continue;
        page.Append("| member | summary |\n|---|---|\n");
        foreach (var m in own)
            page.Append($"| `{Short(m.Id, typeName)}` | {m.Summary.Replace("|", "\\|").Replace("\n", " ")} |\n");
        page.Append('\n');
    }
    File.WriteAllText(Path.Combine(outDir, project + ".md"), page.ToString());
    index.Append($"- [{project}]({project}.md): {members.Count(m => m.Id.StartsWith("T:"))} types, {members.Count(m => !m.Id.StartsWith("T:"))} members\n");
}
File.WriteAllText(Path.Combine(outDir, "README.md"), index.ToString());
Console.WriteLine($"wrote {outDir}");
return 0;

static string Owner(string id)
{
    string body = id[2..];
    int paren = body.IndexOf('(');
    if (paren >= 0) body = body[..paren];
    int dot = body.LastIndexOf('.');
    return dot < 0 ? body : body[..dot];
}

static string Short(string id, string typeName)
{
    string kind = id[..1] switch { "M" => "method", "P" => "property", "F" => "field", "E" => "event", _ => "" };
    string body = id[2..];
    body = body.StartsWith(typeName + ".") ? body[(typeName.Length + 1)..] : body;
    body = body.Replace("#ctor", "constructor").Replace("{", "<").Replace("}", ">");
    body = Regex.Replace(body, @"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])", m => body.IndexOf('(') >= 0 && m.Index > body.IndexOf('(') ? "" : m.Value);
    body = body.Replace(",", ", ");
    return $"{body} ({kind})";
}

static string Text(XElement? e)
{
    if (e is null) return "";
    var sb = new StringBuilder();
    foreach (var node in e.Nodes())
    {
        if (node is XText t) sb.Append(t.Value);
        else if (node is XElement x)
        {
            string? cref = (string?)x.Attribute("cref") ?? (string?)x.Attribute("name") ?? (string?)x.Attribute("langword");
            sb.Append(x.Name.LocalName switch
            {
                "see" or "paramref" or "typeparamref" => $"`{Regex.Replace(Regex.Replace(cref ?? x.Value, "^[A-Z]:", ""), @"\(.*\)$", "").Split('.').Last()}`",
                "c" or "code" => $"`{x.Value}`",
                "para" => "\n" + Text(x) + "\n",
                "list" => string.Join("; ", x.Elements("item").Select(i => Text(i.Element("term")) + " " + Text(i.Element("description")))),
                _ => Text(x),
            });
        }
    }
    return Regex.Replace(sb.ToString(), @"\s+", " ").Trim();
}
