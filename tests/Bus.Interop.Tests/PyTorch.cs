namespace Bus.Interop.Tests;

/// <summary>
/// Runs the reference scripts in scripts/python with Debian's /usr/bin/python3 (override: BUS_PYTHON). When PyTorch is
/// missing a test returns early with a message, unless BUS_REQUIRE_PYTORCH=1 (set by .ci/run), which makes it fail.
/// </summary>
internal static class PyTorch
{
    private static readonly Lazy<string?> Missing = new(FindMissingReason);

    public static string Python => Environment.GetEnvironmentVariable("BUS_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>The scripts/python folder of the repository the tests were built from.</summary>
    public static string ScriptsDirectory { get; } = FindScripts();

    /// <summary>True when the reference checks can run; otherwise writes why to <paramref name="output"/> (or fails when CI requires them).</summary>
    public static bool Available(ITestOutputHelper output)
    {
        if (Missing.Value is null) return true;
        if (Environment.GetEnvironmentVariable("BUS_REQUIRE_PYTORCH") == "1")
            throw new InvalidOperationException($"BUS_REQUIRE_PYTORCH=1 but {Missing.Value}");
        output.WriteLine($"SKIPPED: {Missing.Value} (install python3-torch; .ci/run does, and sets BUS_REQUIRE_PYTORCH=1).");
        return false;
    }

    /// <summary>
    /// True when the reference checks can run and <paramref name="module"/> imports (e.g. "sentencepiece"); otherwise
    /// writes why, or fails when BUS_REQUIRE_PYTORCH=1 (.ci/run installs every module the tests import).
    /// </summary>
    public static bool AvailableWith(ITestOutputHelper output, string module)
    {
        if (!Available(output)) return false;
        var (code, text) = Exec("", ["-c", "import " + module], TimeSpan.FromMinutes(1));
        if (code == 0) return true;
        string reason = $"{Python} cannot import {module}: {text.Trim()}";
        if (Environment.GetEnvironmentVariable("BUS_REQUIRE_PYTORCH") == "1")
            throw new InvalidOperationException($"BUS_REQUIRE_PYTORCH=1 but {reason}");
        output.WriteLine($"SKIPPED: {reason} (install python3-{module}; .ci/run does).");
        return false;
    }

    /// <summary>Runs <c>python scripts/python/{script} args</c>; fails the test with its output when the exit code is not 0.</summary>
    public static string Run(ITestOutputHelper output, string script, params string[] args)
    {
        var (code, text) = Exec(Path.Combine(ScriptsDirectory, script), args, TimeSpan.FromMinutes(4));
        output.WriteLine(text);
        code.Should().Be(0, $"{script} {string.Join(' ', args)} must succeed; output:\n{text}");
        return text;
    }

    private static (int Code, string Output) Exec(string script, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (script.Length > 0) info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Python} {script} did not finish within {timeout}.");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string? FindMissingReason()
    {
        if (!File.Exists(Python)) return $"{Python} does not exist";
        try
        {
            var (code, text) = Exec("", ["-c", "import torch, numpy"], TimeSpan.FromMinutes(1));
            return code == 0 ? null : $"{Python} cannot import torch and numpy: {text.Trim()}";
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            return $"{Python} could not run: {e.Message}";
        }
    }

    private static string FindScripts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "scripts", "python");
            if (File.Exists(Path.Combine(candidate, "hf_gpt2.py"))) return candidate;
        }
        throw new DirectoryNotFoundException("scripts/python not found above the test binaries.");
    }
}

/// <summary>
/// Prints one row of docs/interop.md's round-trip table: <c>| format | direction | max|diff| / max|logit| |</c>. The table is
/// collected with: dotnet test tests/Bus.Interop.Tests -c Release --logger "console;verbosity=detailed" | grep '^ *| '
/// </summary>
internal static class RoundTripTable
{
    public static void Row(ITestOutputHelper output, string format, string direction, double relative) =>
        output.WriteLine($"| {format} | {direction} | {relative:0.0e+00} |");

    /// <summary>The "relative = X" that scripts/python/interop_check.py verify prints.</summary>
    public static double RelativeFrom(string pythonOutput)
    {
        var match = System.Text.RegularExpressions.Regex.Match(pythonOutput, @"relative = ([0-9.eE+-]+)");
        match.Success.Should().BeTrue($"interop_check.py prints 'relative = ...'; got:\n{pythonOutput}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
