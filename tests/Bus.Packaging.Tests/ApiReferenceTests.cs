using System.Reflection;
using System.Text.RegularExpressions;

namespace Bus.Packaging.Tests;

/// <summary>
/// docs/api against the compiled assemblies, by reflection (independently of scripts/ApiReference.cs): it lists
/// exactly the public types, and no member that is not public (or protected in an unsealed type). After a public API
/// change this fails until `dotnet run scripts/ApiReference.cs` regenerates docs/api.
/// </summary>
public sealed partial class ApiReferenceTests
{
    private const string Regenerate = "; regenerate docs/api with `dotnet run scripts/ApiReference.cs`";
    private static readonly string[] Libraries = ["Bus.Core", "Bus.Growth", "Bus.Selection", "Bus.Optimizers", "Bus.MLNet", "Bus.Experiments"];

    /// <summary>"Ns.Outer.Inner" without generic arity, the key both sides are compared on.</summary>
    private static string Key(Type t) => Arity().Replace(t.FullName!, "").Replace('+', '.');

    private static Dictionary<string, List<string>> Documented(string library)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in File.ReadLines(Path.Combine(PackScript.Root, "docs", "api", library + ".md")))
        {
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                current = [];
                sections[Generics().Replace(heading.Groups[1].Value, "")] = current;
            }
            else if (current is not null && Row().Match(line) is { Success: true } row)
                current.Add(MemberName(row.Groups[1].Value));
        }
        return sections;
    }

    /// <summary>The member's name from a signature cell: "int Foo { get; }", "void Bar(int x)", "Baz(...)" (constructor), "Qux = 1" (enum).</summary>
    private static string MemberName(string signature)
    {
        int brace = signature.IndexOf(" { ", StringComparison.Ordinal);
        if (brace >= 0) return LastWord(Indexer().Replace(signature[..brace], ""));
        int paren = signature.IndexOf('(');
        if (paren >= 0) return LastWord(Generics().Replace(signature[..paren], ""));
        int equals = signature.IndexOf(" = ", StringComparison.Ordinal);
        return equals >= 0 && !signature.StartsWith("const ", StringComparison.Ordinal) ? signature[..equals] : LastWord(signature);
    }

    private static string LastWord(string text) => text.Trim().Split(' ')[^1];

    [Theory]
    [MemberData(nameof(LibraryNames))]
    public void ListsExactlyThePublicTypes(string library)
    {
        var documented = Documented(library).Keys.ToHashSet();
        var exported = Assembly.Load(library).GetExportedTypes().Select(Key).ToHashSet();
        var assemblyTypes = Assembly.Load(library).GetTypes().Select(Key).ToHashSet();
        documented.Except(exported).Should().BeEmpty($"docs/api/{library}.md must not list internal or removed types (internal here: {string.Join(", ", documented.Intersect(assemblyTypes).Except(exported))}){Regenerate}");
        exported.Except(documented).Should().BeEmpty($"every public type of {library} must be documented{Regenerate}");
    }

    [Theory]
    [MemberData(nameof(LibraryNames))]
    public void ListsNoMemberThatIsNotPublic(string library)
    {
        var types = Assembly.Load(library).GetExportedTypes().ToDictionary(Key);
        var hidden = new List<string>();
        foreach (var (typeName, members) in Documented(library))
        {
            if (!types.TryGetValue(typeName, out var type)) continue; // reported by the type test
            var visible = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Where(IsVisible).Select(m => m is ConstructorInfo ? Generics().Replace(Arity().Replace(type.Name, ""), "") : m.Name).ToHashSet(StringComparer.Ordinal);
            hidden.AddRange(members.Where(m => !visible.Contains(m)).Select(m => $"{typeName}.{m}"));
        }
        hidden.Should().BeEmpty($"docs/api/{library}.md must list only public (or protected) members{Regenerate}");
    }

    [Fact]
    public void TheLayoutsPageListsEveryRuleOfTheBuiltInFamilies()
    {
        var rows = File.ReadLines(Path.Combine(PackScript.Root, "docs", "api", "layouts.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        var layouts = new[] { Bus.Core.Model.GptLayout.Layout, Bus.Core.Model.LlamaLayout.Untied, Bus.Core.Model.LlamaLayout.Tied };
        rows.Should().HaveCount(layouts.Sum(l => l.Rules.Count), $"one row per rule{Regenerate}");
        foreach (var rule in layouts.SelectMany(l => l.Rules))
            rows.Should().Contain($"| `{rule.Pattern}` | {rule.Kind} | {rule.Rows} | {(rule.Columns is { } c ? c.ToString() : "")} |", Regenerate);
    }

    public static TheoryData<string> LibraryNames() => new(Libraries);

    private static bool IsVisible(MemberInfo m) => m switch
    {
        MethodBase b => b.IsPublic || ((b.IsFamily || b.IsFamilyOrAssembly) && !b.DeclaringType!.IsSealed),
        FieldInfo f => f.IsPublic || ((f.IsFamily || f.IsFamilyOrAssembly) && !f.DeclaringType!.IsSealed),
        PropertyInfo p => new[] { p.GetMethod, p.SetMethod }.Any(a => a is not null && IsVisible(a)),
        EventInfo e => e.AddMethod is { } add && IsVisible(add),
        Type t => t.IsNestedPublic,
        _ => false,
    };

    [GeneratedRegex(@"^## `([^`]+)`$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\| `([^`]+)` \|")]
    private static partial Regex Row();

    [GeneratedRegex(@"<[^<>]*(<[^<>]*>[^<>]*)*>")]
    private static partial Regex Generics();

    [GeneratedRegex(@"(?<=\w)\[[^\]]*\]$")]
    private static partial Regex Indexer();

    [GeneratedRegex(@"`\d+")]
    private static partial Regex Arity();
}
