// Generates the API reference (docs/api/*.md) from the COMPILED public surface: reflection over the built library
// assemblies (public and protected members of public types only) plus their XML documentation, with parameter
// names, types and default values, and the defaults of options/config records (read from a new instance).
// Usage (one command; it builds the libraries first):  dotnet run scripts/ApiReference.cs
// tests/Bus.MLNet.Tests/ApiReferenceTests.cs checks docs/api against reflection: regenerate after any public API change.
#:project ../src/Bus.Core/Bus.Core.csproj
#:project ../src/Bus.Growth/Bus.Growth.csproj
#:project ../src/Bus.Selection/Bus.Selection.csproj
#:project ../src/Bus.Optimizers/Bus.Optimizers.csproj
#:project ../src/Bus.MLNet/Bus.MLNet.csproj
#:project ../src/Bus.Experiments/Bus.Experiments.csproj
#:property TreatWarningsAsErrors=false
#:property GenerateDocumentationFile=false
#:property IsPackable=false
#:property PublishAot=false
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

string root = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "scripts", ".."));
string outDir = Path.Combine(root, "docs", "api");
Directory.CreateDirectory(outDir);
foreach (var old in Directory.GetFiles(outDir, "*.md")) File.Delete(old);
var assemblies = new[] { "Bus.Core", "Bus.Growth", "Bus.Selection", "Bus.Optimizers", "Bus.MLNet", "Bus.Experiments" }
    .Select(name => Assembly.Load(name)).ToList();
var index = new StringBuilder("# API reference\n\nThe public surface of the compiled libraries (reflection over the assemblies, summaries from their XML\n" +
    "documentation). Regenerate with `dotnet run scripts/ApiReference.cs` after any public API change;\n" +
    "`ApiReferenceTests` fails until then.\n\n");
foreach (var assembly in assemblies)
{
    string project = assembly.GetName().Name!;
    var docs = Docs.Load(Path.ChangeExtension(assembly.Location, ".xml"));
    var types = assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
    var page = new StringBuilder($"# {project}\n\n");
    int members = 0;
    foreach (var type in types)
    {
        page.Append($"## `{Names.TypeName(type, full: true)}`\n\n*{Names.Kind(type)}*");
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) && !Names.IsRecord(type))
            page.Append($" : `{Names.TypeName(b)}`");
        page.Append($"\n\n{docs.Summary(Ids.Type(type))}\n\n");
        var rows = Members.Of(type, docs).ToList();
        members += rows.Count;
        if (rows.Count == 0) continue;
        page.Append("| member | default | summary |\n|---|---|---|\n");
        foreach (var (signature, defaultValue, summary) in rows)
            page.Append($"| `{signature}` | {defaultValue} | {Cell(summary)} |\n");
        page.Append('\n');
    }
    File.WriteAllText(Path.Combine(outDir, project + ".md"), page.ToString());
    index.Append($"- [{project}]({project}.md): {types.Count} public types, {members} members\n");
}
File.WriteAllText(Path.Combine(outDir, "layouts.md"), Layouts.Page());
index.Append("- [layouts](layouts.md): the parameter-axis tables of the built-in model families (`GptLayout`, `LlamaLayout`)\n");
File.WriteAllText(Path.Combine(outDir, "README.md"), index.ToString());
Console.WriteLine($"wrote {outDir}");
return 0;

static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

/// <summary>Documented members of one public type, in a stable order.</summary>
static class Members
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IEnumerable<(string Signature, string Default, string Summary)> Of(Type type, Docs docs)
    {
        if (type.IsEnum)
        {
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                yield return ($"{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture)}", "", docs.Summary(Ids.Member(f)));
            yield break;
        }
        object? instance = Names.IsOptionsLike(type) ? TryCreate(type) : null;
        var bySignature = new List<(string, string, string)>();
        foreach (var c in type.GetConstructors(Declared).Where(Visible).Where(c => !Names.IsRecordCopyConstructor(c)))
            bySignature.Add(($"{Regex.Replace(type.Name, @"`\d+", "")}({Names.Parameters(c.GetParameters())})", "", docs.Summary(Ids.Member(c))));
        foreach (var p in type.GetProperties(Declared).Where(p => (p.GetMethod is { } g && Visible(g)) || (p.SetMethod is { } s && Visible(s))))
        {
            if (p.Name == "EqualityContract") continue;
            string accessors = string.Join("; ", new[] { p.GetMethod is { } g && Visible(g) ? "get" : null, Setter(p) }.Where(a => a is not null));
            string index = p.GetIndexParameters() is { Length: > 0 } ip ? $"[{Names.Parameters(ip)}]" : "";
            string value = instance is not null && p.GetMethod is { IsStatic: false } && index.Length == 0 ? DefaultOf(p, instance) : "";
            string summary = docs.Summary(Ids.Member(p));
            // a default derived from another option ("defaults to 4 x BatchSize") is shown as the value it takes with the other defaults
            if (value.Length > 0 && summary.Contains("defaults to", StringComparison.OrdinalIgnoreCase)) value += " (with the other defaults; see description)";
            bySignature.Add(($"{Names.TypeName(p.PropertyType)} {p.Name}{index} {{ {accessors}; }}", value, summary));
        }
        foreach (var f in type.GetFields(Declared).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
        {
            string prefix = f.IsLiteral ? "const " : f.IsStatic ? "static " : "";
            string value = f.IsLiteral ? Names.Literal(f.GetRawConstantValue()) : "";
            bySignature.Add(($"{prefix}{Names.TypeName(f.FieldType)} {f.Name}", value, docs.Summary(Ids.Member(f))));
        }
        foreach (var m in type.GetMethods(Declared).Where(Visible).Where(m => !m.IsSpecialName && !Names.IsCompilerGenerated(m)))
        {
            string generic = m.IsGenericMethodDefinition ? $"<{string.Join(", ", m.GetGenericArguments().Select(a => a.Name))}>" : "";
            string prefix = m.IsStatic ? "static " : "";
            bool extension = m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute), false);
            bySignature.Add(($"{prefix}{Names.TypeName(m.ReturnType)} {m.Name}{generic}({(extension ? "this " : "")}{Names.Parameters(m.GetParameters())})", "", docs.Summary(Ids.Member(m))));
        }
        foreach (var e in type.GetEvents(Declared).Where(e => e.AddMethod is { } a && Visible(a)))
            bySignature.Add(($"event {Names.TypeName(e.EventHandlerType!)} {e.Name}", "", docs.Summary(Ids.Member(e))));
        foreach (var row in bySignature) yield return row;
    }

    /// <summary>Public, or protected in a type that can be derived from.</summary>
    public static bool Visible(MethodBase m) => m.IsPublic || ((m.IsFamily || m.IsFamilyOrAssembly) && !m.DeclaringType!.IsSealed);

    static string? Setter(PropertyInfo p)
    {
        if (p.SetMethod is not { } s || !Visible(s)) return null;
        bool init = s.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
        return init ? "init" : "set";
    }

    static object? TryCreate(Type type)
    {
        try { return type.GetConstructor(Type.EmptyTypes) is { IsPublic: true } ? Activator.CreateInstance(type) : null; }
        catch (Exception) { return null; }
    }

    static string DefaultOf(PropertyInfo p, object instance)
    {
        try { return Names.Literal(p.GetValue(instance)); }
        catch (Exception) { return ""; }
    }
}

/// <summary>C#-style names of types, parameters and literal values.</summary>
static class Names
{
    static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(int)] = "int", [typeof(long)] = "long",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(string)] = "string", [typeof(object)] = "object",
        [typeof(char)] = "char", [typeof(short)] = "short", [typeof(uint)] = "uint", [typeof(ulong)] = "ulong", [typeof(decimal)] = "decimal",
    };

    public static string TypeName(Type t, bool full = false)
    {
        if (t.IsByRef) return TypeName(t.GetElementType()!, full);
        if (Keywords.TryGetValue(t, out var k)) return k;
        if (t.IsArray) return TypeName(t.GetElementType()!, full) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (t.IsGenericParameter) return t.Name;
        if (Nullable.GetUnderlyingType(t) is { } u) return TypeName(u, full) + "?";
        string name = t.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (t.IsNested) name = TypeName(t.DeclaringType!, full).Split('<')[0] + "." + name;
        else if (full && t.Namespace is { } ns) name = ns + "." + name;
        var args = t.IsNested ? t.GetGenericArguments().Skip(t.DeclaringType!.GetGenericArguments().Length).ToArray() : t.GetGenericArguments();
        if (args.Length > 0 && t.Name.Contains('`')) name += "<" + string.Join(", ", args.Select(a => TypeName(a))) + ">";
        return name;
    }

    public static string Parameters(ParameterInfo[] parameters) => string.Join(", ", parameters.Select(p =>
    {
        string modifier = p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "";
        string text = $"{modifier}{TypeName(p.ParameterType)} {p.Name}";
        if (!p.HasDefaultValue) return text;
        bool structDefault = p.DefaultValue is null && p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null;
        return $"{text} = {(structDefault ? "default" : Literal(p.DefaultValue))}";
    }));

    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        Enum e => e.GetType().Name + "." + e,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Literal)) + "]",
        _ => value.ToString() is { } text && !text.StartsWith(value.GetType().FullName ?? "\0", StringComparison.Ordinal) ? text : value.GetType().Name,
    };

    public static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? (IsRecord(t) ? "record struct" : "struct")
        : t.IsSubclassOf(typeof(Delegate)) ? "delegate" : t.IsAbstract && t.IsSealed ? "static class"
        : IsRecord(t) ? (t.IsSealed ? "sealed record" : "record") : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";

    public static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null || (t.IsValueType && t.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    public static bool IsRecordCopyConstructor(ConstructorInfo c) =>
        IsRecord(c.DeclaringType!) && c.GetParameters() is [var only] && only.ParameterType == c.DeclaringType && c.IsFamily;

    public static bool IsCompilerGenerated(MethodInfo m) =>
        m.Name is "<Clone>$" or "PrintMembers" || m.Name.StartsWith('<') ||
        (IsRecord(m.DeclaringType!) && m.Name is "Equals" or "GetHashCode" or "ToString" or "Deconstruct" && m.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false));

    public static bool IsOptionsLike(Type t) => !t.IsAbstract && (t.Name.EndsWith("Options", StringComparison.Ordinal) || t.Name.EndsWith("Config", StringComparison.Ordinal) || t.Name.EndsWith("Schedule", StringComparison.Ordinal));
}

/// <summary>XML documentation ids (ECMA-334 annex D) of reflected members.</summary>
static class Ids
{
    public static string Type(Type t) => "T:" + Name(t);

    public static string Member(MemberInfo m) => m switch
    {
        ConstructorInfo c => $"M:{Name(c.DeclaringType!)}.{(c.IsStatic ? "#cctor" : "#ctor")}{Params(c.GetParameters())}",
        MethodInfo mi => $"M:{Name(mi.DeclaringType!)}.{mi.Name}{(mi.IsGenericMethodDefinition ? "``" + mi.GetGenericArguments().Length : "")}{Params(mi.GetParameters())}"
            + (mi.Name is "op_Implicit" or "op_Explicit" ? "~" + Param(mi.ReturnType) : ""),
        PropertyInfo p => $"P:{Name(p.DeclaringType!)}.{p.Name}{Params(p.GetIndexParameters())}",
        FieldInfo f => $"F:{Name(f.DeclaringType!)}.{f.Name}",
        EventInfo e => $"E:{Name(e.DeclaringType!)}.{e.Name}",
        _ => "",
    };

    static string Name(Type t) => (t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : (t.Namespace is { } ns ? ns + "." : "") + t.Name);

    static string Params(ParameterInfo[] ps) => ps.Length == 0 ? "" : "(" + string.Join(",", ps.Select(p => Param(p.ParameterType))) + ")";

    static string Param(Type t)
    {
        if (t.IsByRef) return Param(t.GetElementType()!) + "@";
        if (t.IsArray) return Param(t.GetElementType()!) + "[" + (t.GetArrayRank() > 1 ? string.Join(",", Enumerable.Repeat("0:", t.GetArrayRank())) : "") + "]";
        if (t.IsGenericParameter) return (t.DeclaringMethod is not null ? "``" : "`") + t.GenericParameterPosition;
        if (!t.IsGenericType) return (t.FullName ?? t.Name).Replace('+', '.');
        var def = t.GetGenericTypeDefinition();
        string name = (def.FullName ?? def.Name).Replace('+', '.');
        name = Regex.Replace(name, @"`\d+", "");
        return name + "{" + string.Join(",", t.GetGenericArguments().Select(Param)) + "}";
    }
}

/// <summary>The built-in families' layouts (the one table of parameter axes and roles), read from the compiled rules.</summary>
static class Layouts
{
    public static string Page()
    {
        var page = new StringBuilder("# Layouts of the built-in model families\n\n" +
            "Every parameter of a family, with its kind and the space each axis indexes, read from the compiled `ModelLayout`s\n" +
            "(`GptLayout.Layout`, `LlamaLayout.Untied`, `LlamaLayout.Tied`). `{i}` is the block index; \"(read)\" marks an axis\n" +
            "that reads the space (the columns of a matrix multiplying it), which width growth splits instead of copying.\n" +
            "Spaces: Residual = d_model; QueryHeads = heads x head_dim; KeyValueHeads = kv_heads x head_dim; Mlp = d_ff;\n" +
            "Vocabulary, Positions and Outputs are never grown. A model of your own describes itself the same way (docs/growth.md).\n\n");
        foreach (var (code, layout) in new[] { ("GptLayout.Layout", Bus.Core.Model.GptLayout.Layout),
                     ("LlamaLayout.Untied", Bus.Core.Model.LlamaLayout.Untied), ("LlamaLayout.Tied", Bus.Core.Model.LlamaLayout.Tied) })
        {
            page.Append($"## `{code}` ({layout.Name}: {layout.Norm}{(layout.RotaryHeads ? ", rotary heads (head_dim kept)" : "")})\n\n");
            page.Append("| parameter | kind | rows | columns |\n|---|---|---|---|\n");
            foreach (var rule in layout.Rules)
                page.Append($"| `{rule.Pattern}` | {rule.Kind} | {rule.Rows} | {(rule.Columns is { } c ? c.ToString() : "")} |\n");
            page.Append('\n');
        }
        return page.ToString();
    }
}

/// <summary>Summaries from one XML documentation file, as markdown.</summary>
sealed class Docs(Dictionary<string, XElement> members)
{
    public static Docs Load(string path) => new(File.Exists(path)
        ? XDocument.Load(path).Descendants("member").GroupBy(m => (string)m.Attribute("name")!).ToDictionary(g => g.Key, g => g.First())
        : []);

    public string Summary(string id)
    {
        if (!members.TryGetValue(id, out var member)) return "";
        if (member.Element("inheritdoc") is not null && member.Element("summary") is null) return "(inherited documentation)";
        return Text(member.Element("summary"));
    }

    static string Text(XElement? e)
    {
        if (e is null) return "";
        var sb = new StringBuilder();
        foreach (var node in e.Nodes())
        {
            switch (node)
            {
                case XText t: sb.Append(t.Value); break;
                case XElement { Name.LocalName: "see" or "seealso" } r:
                    string target = (string?)r.Attribute("cref") ?? (string?)r.Attribute("langword") ?? (string?)r.Attribute("href") ?? "";
                    sb.Append('`').Append(r.Value.Length > 0 ? r.Value : Short(target)).Append('`');
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } r: sb.Append('`').Append((string?)r.Attribute("name")).Append('`'); break;
                case XElement { Name.LocalName: "c" or "code" } c: sb.Append('`').Append(c.Value).Append('`'); break;
                case XElement { Name.LocalName: "list" } list: // one line per item inside the table cell
                    foreach (var item in list.Elements("item"))
                    {
                        string term = Text(item.Element("term")), description = Text(item.Element("description"));
                        if (term.Length == 0 && description.Length == 0) description = Text(item);
                        sb.Append(" <br>• ").Append(term.Length > 0 ? $"**{term}**: " : "").Append(description);
                    }
                    sb.Append(" <br>");
                    break;
                case XElement { Name.LocalName: "para" } para: sb.Append(" <br>").Append(Text(para)).Append(" <br>"); break;
                case XElement other: sb.Append(Text(other)); break;
            }
        }
        string text = Regex.Replace(sb.ToString(), @"\s+", " ").Trim();
        text = Regex.Replace(text, @"(\s*<br>\s*)+", " <br>"); // no empty lines from nested lists and paragraphs
        return Regex.Replace(text, @"^(<br>\s*)+|(\s*<br>)+$", "").Trim();
    }

    static string Short(string cref)
    {
        string body = Regex.Replace(cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref, @"`+\d+", "");
        int paren = body.IndexOf('(');
        if (paren >= 0) body = body[..paren];
        string[] parts = body.Split('.');
        return parts.Length >= 2 && cref.StartsWith("T:") ? parts[^1] : parts.Length >= 2 ? parts[^2] + "." + parts[^1] : body;
    }
}
