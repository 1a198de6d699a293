namespace Bus.Cli.Tests;

/// <summary>
/// Issue 23: the shared checks behind the bounded options (<see cref="ThreadCount"/>, <see cref="BudgetLimits"/>,
/// <see cref="ModelSizeLimits"/>), the output-folder check that creates nothing
/// (<see cref="OutputPaths.RequireCreatableFolder"/>) and <see cref="StagedFolder"/>, which leaves no folder behind
/// when an export fails or is cancelled.
/// </summary>
public sealed class ResourceBoundsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-bounds-").FullName;

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(100_000, false)]
    [InlineData(-1, true)]
    [InlineData(100_000, true)]
    public void ThreadCountOutsideTheProcessorsNamesOptionAndValue(int threads, bool zeroMeansDefault)
    {
        var act = () => ThreadCount.Require("--threads", threads, zeroMeansDefault);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith($"--threads {threads}: must be");
    }

    [Fact]
    public void ThreadCountAcceptsOneToTheProcessorsAndZeroWhereItMeansDefault()
    {
        ThreadCount.Require("--threads", null);
        ThreadCount.Require("--threads", 1);
        ThreadCount.Require("--threads", Environment.ProcessorCount);
        ThreadCount.Require("--threads", 0, zeroMeansDefault: true);
        FluentActions.Invoking(() => ThreadCount.Require("--threads", Environment.ProcessorCount + 1))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(1e308, BudgetUnit.ReferenceSeconds)]
    [InlineData(1e308, BudgetUnit.Steps)]
    [InlineData(2e9, BudgetUnit.Steps)]
    [InlineData(1e22, BudgetUnit.Flops)]
    [InlineData(0, BudgetUnit.Samples)]
    [InlineData(-5, BudgetUnit.WallClockSeconds)]
    [InlineData(double.NaN, BudgetUnit.Steps)]
    [InlineData(double.PositiveInfinity, BudgetUnit.Flops)]
    public void BudgetsOutsideTheUnitsBoundAreRefused(double budget, BudgetUnit unit)
    {
        var act = () => BudgetLimits.Require("--budgets", "x", budget, unit);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().StartWith("--budgets 'x': a budget must be positive, finite and at most");
    }

    [Theory]
    [InlineData(1e7, BudgetUnit.ReferenceSeconds)]
    [InlineData(1e9, BudgetUnit.Steps)]
    [InlineData(1e21, BudgetUnit.Flops)]
    [InlineData(0.5, BudgetUnit.WallClockSeconds)]
    public void BudgetsUpToTheBoundPass(double budget, BudgetUnit unit) =>
        FluentActions.Invoking(() => BudgetLimits.Require("--budgets", "x", budget, unit)).Should().NotThrow();

    [Fact]
    public void MemoryCheckCountsParametersGivenDirectly()
    {
        // 10^12 float32 parameters with gradients and two moments: 16 TB, more than any test machine has.
        var act = () => ModelSizeLimits.RequireFitsInMemory("--width", 250_000, 1e12);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().StartWith("--width 250000: the model has about 1.00E+012 parameters");
        FluentActions.Invoking(() => ModelSizeLimits.RequireFitsInMemory("--width", 8, 1e3)).Should().NotThrow();
    }

    [Fact]
    public void CreatableFolderCheckCreatesNothing()
    {
        string target = Path.Combine(_dir, "a", "b", "hf");
        OutputPaths.RequireCreatableFolder("--out", target);
        Directory.Exists(Path.Combine(_dir, "a")).Should().BeFalse();
        Directory.GetFileSystemEntries(_dir).Should().BeEmpty("the probe file is removed too");
    }

    [Fact]
    public void CreatableFolderCheckRefusesFilesOnThePath()
    {
        string file = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(file, "x");
        FluentActions.Invoking(() => OutputPaths.RequireCreatableFolder("--out", file)).Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("is a file, not a folder");
        FluentActions.Invoking(() => OutputPaths.RequireCreatableFolder("--out", Path.Combine(file, "hf", "x")))
            .Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain($"'{file}' is a file, not a folder");
    }

    [Fact]
    public void StagedFolderAppearsWithAllItsFiles()
    {
        string target = Path.Combine(_dir, "hf");
        StagedFolder.Write(target, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "config.json"), "{}");
            File.WriteAllText(Path.Combine(staging, "model.safetensors"), "weights");
        });
        Directory.GetFiles(target).Select(Path.GetFileName).Should().BeEquivalentTo(["config.json", "model.safetensors"]);
        Directory.GetDirectories(_dir).Should().Equal([target], "no staging folder is left");
    }

    [Fact]
    public void StagedFolderReplacesFilesOfAnExistingFolderAndKeepsTheOthers()
    {
        string target = Path.Combine(_dir, "hf");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "config.json"), "old");
        File.WriteAllText(Path.Combine(target, "README.md"), "mine");
        StagedFolder.Write(target, staging => File.WriteAllText(Path.Combine(staging, "config.json"), "new"));
        File.ReadAllText(Path.Combine(target, "config.json")).Should().Be("new");
        File.ReadAllText(Path.Combine(target, "README.md")).Should().Be("mine");
        Directory.GetDirectories(_dir).Should().Equal([target]);
    }

    [Fact]
    public void FailedWriteLeavesNoFolder()
    {
        string target = Path.Combine(_dir, "exports", "hf"); // "exports" is made for the staging folder, and removed
        var act = () => StagedFolder.Write(target, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "model.safetensors"), "half");
            throw new IOException("disk full");
        });
        act.Should().Throw<IOException>().WithMessage("disk full");
        Directory.GetFileSystemEntries(_dir).Should().BeEmpty("neither the folder nor the staging folder remains");
    }

    [Fact]
    public void CancelledWriteLeavesNoFolder()
    {
        string target = Path.Combine(_dir, "hf");
        using var cancellation = new CancellationTokenSource();
        var act = () => StagedFolder.Write(target, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "model.safetensors"), "all");
            cancellation.Cancel(); // Ctrl+C while writing
        }, cancellation.Token);
        act.Should().Throw<OperationCanceledException>();
        Directory.GetFileSystemEntries(_dir).Should().BeEmpty();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
