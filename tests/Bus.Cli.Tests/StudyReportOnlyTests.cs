namespace Bus.Cli.Tests;

/// <summary>
/// <c>bus study --max-runs 0</c> trains nothing and rewrites the report from the runs already in the folder (how a finished or
/// running frontier study's report is refreshed), run as child processes in a scratch folder.
/// </summary>
public sealed class StudyReportOnlyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-study-report-").FullName;

    private (int Code, string Stdout, string Stderr) Bus(string args) =>
        BusProcess.Run(_dir, args.Split(' ', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromSeconds(180));

    private string[] RunFiles(string folder) =>
        Directory.GetFiles(Path.Combine(_dir, folder, "runs"), "*.json", SearchOption.AllDirectories).Order().ToArray();

    [Fact]
    public void MaxRunsZeroRewritesTheFrontierReportWithoutTraining()
    {
        var first = Bus("study --preset frontier-tiny --threads 1 --out f --max-runs 1");
        first.Code.Should().Be(0, first.Stderr);
        var runs = RunFiles("f");
        runs.Should().HaveCount(1);
        string report = Path.Combine(_dir, "f", "report.md");
        File.Delete(report);

        var (code, stdout, stderr) = Bus("study --preset frontier-tiny --threads 1 --out f --max-runs 0");

        code.Should().Be(0, stderr);
        stdout.Should().Contain("0 new runs");
        RunFiles("f").Should().Equal(runs);
        File.Exists(report).Should().BeTrue();
        File.ReadAllText(report).Should().Contain("--max-runs 0");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
