using System.CommandLine.Invocation;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// The <c>--threads</c> option of every command that takes it: 1..<see cref="Environment.ProcessorCount"/> threads
/// (more only oversubscribes the cores; <c>--threads 100000</c> used to start that many OS threads), or 0 where the
/// command lets TorchSharp choose. Checked before any work; a bad value names the option and the value.
/// </summary>
internal static class ThreadCount
{
    /// <summary>The largest thread count accepted: the processors this process may use.</summary>
    public static int Max => Environment.ProcessorCount;

    /// <summary>
    /// Requires <paramref name="value"/> of <paramref name="option"/> to lie in 1..<see cref="Max"/>, or to be 0 when
    /// <paramref name="zeroMeansDefault"/>; null (the option not given) passes.
    /// </summary>
    public static void Require(string option, int? value, bool zeroMeansDefault = false)
    {
        if (value is not { } n || n >= 1 && n <= Max || zeroMeansDefault && n == 0) return;
        string range = zeroMeansDefault ? $"0 (TorchSharp's choice) or 1..{Max}" : $"1..{Max}";
        throw new ArgumentOutOfRangeException(option, n, string.Create(CultureInfo.InvariantCulture,
            $"{option} {n}: must be {range} ({Max} is the processor count)."));
    }

    /// <summary>
    /// Gives <paramref name="command"/> a <c>--threads</c> option (1..<see cref="Max"/>; default: TorchSharp's choice) that is
    /// checked and applied before the command's own action runs. For commands without their own <c>--threads</c>.
    /// </summary>
    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var option = new Option<int?>("--threads")
        {
            Description = "CPU threads for TorchSharp, 1..the processor count (default: TorchSharp's choice)",
        };
        command.Add(option);
        var inner = command.Action ?? throw new InvalidOperationException($"Command {command.Name} has no action.");
        command.SetAction(async (parse, ct) =>
        {
            Apply("--threads", parse.GetValue(option));
            return inner switch
            {
                AsynchronousCommandLineAction a => await a.InvokeAsync(parse, ct).ConfigureAwait(false),
                SynchronousCommandLineAction s => s.Invoke(parse),
                _ => throw new InvalidOperationException($"Command {command.Name} has an action of unknown kind {inner.GetType().Name}."),
            };
        });
    }

    /// <summary>Adds <c>--threads</c> (<see cref="AddTo"/>) to every subcommand of <paramref name="root"/> that lacks it.</summary>
    public static void AddToEveryCommand(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var command in root.Subcommands.Where(c => !c.Options.Any(o => o.Name == "--threads")))
            AddTo(command);
    }

    /// <summary>Checks <paramref name="value"/> (<see cref="Require"/>) and sets TorchSharp's intra-op threads to it if positive.</summary>
    public static void Apply(string option, int? value, bool zeroMeansDefault = false)
    {
        Require(option, value, zeroMeansDefault);
        if (value is > 0 and var n) TorchSharp.torch.set_num_threads(n);
    }
}
