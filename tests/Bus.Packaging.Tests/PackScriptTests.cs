using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Bus.Packaging.Tests;

/// <summary>
/// Runs pack.ps1 in an in-process PowerShell runspace (System.Management.Automation; no pwsh install needed) with
/// -DryRun: it checks the version parsing, the project discovery and the dotnet commands. The real pack runs in
/// scripts/run-samples.sh and is checked by scripts/check-packages.sh.
/// </summary>
internal static class PackScript
{
    public static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bus.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Bus.sln not found above the test binaries.");
    }

    public static List<string> Run(params (string Name, object? Value)[] parameters)
    {
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var shell = PowerShell.Create(runspace);
        shell.AddCommand(Path.Combine(Root, "pack.ps1"));
        foreach (var (name, value) in parameters)
            if (value is null) shell.AddParameter(name); else shell.AddParameter(name, value);
        var output = shell.Invoke().Select(o => o.ToString()).ToList();
        if (shell.HadErrors)
            throw new InvalidOperationException(string.Join(Environment.NewLine, shell.Streams.Error.Select(e => e.ToString())));
        return output;
    }

}

public sealed class PackScriptTests
{
    private static readonly string Root = PackScript.Root;

    private static List<string> Run(params (string Name, object? Value)[] parameters) => PackScript.Run(parameters);

    private static string PropsVersion() =>
        System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props")), "<VersionPrefix>(.*?)</VersionPrefix>").Groups[1].Value;

    [Fact]
    public void DryRunPacksEveryPackableProjectWithThePropsVersion()
    {
        var lines = Run(("DryRun", null));
        string version = PropsVersion();
        version.Should().NotBeEmpty();
        lines[0].Should().Contain($"version {version}");
        var commands = lines.Where(l => l.StartsWith("dotnet pack", StringComparison.Ordinal)).ToList();
        foreach (var project in new[] { "Bus.Core", "Bus.Growth", "Bus.Selection", "Bus.Optimizers", "Bus.MLNet", "Bus.Cli" })
            commands.Should().ContainSingle(c => c.Contains($"/src/{project}/{project}.csproj"));
        commands.Should().OnlyContain(c => c.Contains("-c Release") && c.Contains($"-p:Version={version}") && c.Contains(Path.Combine(Root, "artifacts", "packages")));
        commands.Should().NotContain(c => c.Contains("/tests/") || c.Contains("/docs/"));
    }

    [Fact]
    public void VersionParameterOverridesThePropsVersion()
    {
        var lines = Run(("DryRun", null), ("Version", "2.3.4-preview.1"), ("Output", "/tmp/bus-packages"));
        lines.Where(l => l.StartsWith("dotnet pack", StringComparison.Ordinal))
            .Should().OnlyContain(c => c.Contains("-p:Version=2.3.4-preview.1") && c.Contains("-o /tmp/bus-packages"));
    }

    [Fact]
    public void AVersionThatIsNotSemverFailsNamingIt()
    {
        var run = () => Run(("DryRun", null), ("Version", "1.2"));
        run.Should().Throw<RuntimeException>().WithMessage("*'1.2' is not a semantic version*");
    }
}

public sealed class PackScriptRealRunTests
{
    [Fact]
    public void RealPackOfBusCoreContainsReadmeTransitiveTargetsAndSymbols()
    {
        string output = Path.Combine(Path.GetTempPath(), $"bus-pack-{Guid.NewGuid():N}");
        // Isolation (issue 12, item 9): the pack builds into its own bin/obj folders under the temp folder (MSBuild reads
        // environment variables as properties), so it never rewrites the binaries other test assemblies are running.
        var isolation = new Dictionary<string, string>
        {
            ["BaseOutputPath"] = Path.Combine(output, "bin") + Path.DirectorySeparatorChar,
            ["BaseIntermediateOutputPath"] = Path.Combine(output, "obj") + Path.DirectorySeparatorChar,
            // The SDK excludes only the *configured* bin/obj from the compile glob; keep the project's own out too.
            ["DefaultItemExcludes"] = "bin/**;obj/**",
        };
        var saved = isolation.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        var repoBinaries = Directory.GetFiles(Path.Combine(PackScript.Root, "src", "Bus.Core"), "*.dll", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        try
        {
            foreach (var (k, v) in isolation) Environment.SetEnvironmentVariable(k, v);
            var lines = PackScript.Run(("Project", new[] { "Bus.Core" }), ("Version", "0.0.1-test"), ("Output", output));
            Directory.GetFiles(Path.Combine(PackScript.Root, "src", "Bus.Core"), "*.dll", SearchOption.AllDirectories)
                .ToDictionary(f => f, File.GetLastWriteTimeUtc).Should().Equal(repoBinaries, "the pack must not touch the repository's build output");
            lines.Should().Contain(l => l.Contains("packed 1 projects"));
            string nupkg = Path.Combine(output, "Bus.Core.0.0.1-test.nupkg");
            File.Exists(Path.Combine(output, "Bus.Core.0.0.1-test.snupkg")).Should().BeTrue();
            using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            entries.Should().Contain(["README.md", "buildTransitive/Bus.Core.targets", "buildTransitive/WeakenElfVersionNeed.cs", "lib/net10.0/Bus.Core.dll"]);
            using var reader = new StreamReader(zip.GetEntry("Bus.Core.nuspec")!.Open());
            string nuspec = reader.ReadToEnd();
            nuspec.Should().Contain("<license type=\"expression\">MIT</license>").And.Contain("<readme>README.md</readme>").And.Contain("<repository type=\"git\"");
        }
        finally
        {
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
