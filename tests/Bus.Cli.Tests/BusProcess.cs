namespace Bus.Cli.Tests;

/// <summary>Runs the real <c>bus</c> CLI (<c>dotnet bus.dll ...</c>) as a child process.</summary>
internal static class BusProcess
{
    private static readonly Lazy<string> Dll = new(() => Snapshot(FindBusDll()));

    /// <summary>
    /// Path of bus.dll in a private snapshot of the Bus.Cli build output (same configuration as the tests): the
    /// managed files are copied once per test run, so a build or pack that rewrites the output folder while tests run
    /// (issue 12, item 9) cannot swap assemblies under a running child process. The large native folder
    /// (runtimes/, about 1 GB) is linked, not copied.
    /// </summary>
    public static string BusDll => Dll.Value;

    /// <summary>Starts <c>dotnet bus.dll args</c> with stdout and stderr redirected.</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.ArgumentList.Add(BusDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    /// <summary>Runs to completion (at most <paramref name="timeout"/>) and returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, IEnumerable<string> args, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(workingDirectory, args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bus {string.Join(' ', args)} did not finish in time. Output so far: {stdout}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Snapshot(string busDll)
    {
        string source = Path.GetDirectoryName(busDll)!;
        string target = Directory.CreateTempSubdirectory("bus-cli-snapshot-").FullName;
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        string runtimes = Path.Combine(source, "runtimes");
        if (Directory.Exists(runtimes)) Directory.CreateSymbolicLink(Path.Combine(target, "runtimes"), runtimes);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(target, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return Path.Combine(target, Path.GetFileName(busDll));
    }

    private static string FindBusDll()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = testDir.Name, configuration = testDir.Parent!.Name;
        for (var dir = testDir; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "Bus.Cli", "bin", configuration, framework, "bus.dll");
            if (File.Exists(candidate)) return candidate;
        }
        string local = Path.Combine(testDir.FullName, "bus.dll");
        return File.Exists(local) ? local : throw new FileNotFoundException("bus.dll not found: build src/Bus.Cli (the test project references it).");
    }
}
