using System.Runtime.InteropServices;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// SIGINT (Ctrl+C), SIGTERM and SIGHUP handling: the first signal cancels <see cref="Token"/> (training finishes its
/// step, writes a checkpoint and exits; <c>prepare</c> stops and removes its temporary file) and sets
/// <see cref="ExitCode"/> to 128 + the signal's number (SIGHUP 129, SIGINT 130, SIGTERM 143, the shell convention); a
/// second signal is not intercepted, so the process ends at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    /// <summary>The signals that stop a command gracefully.</summary>
    public static readonly IReadOnlyList<PosixSignal> Handled = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    /// <summary>
    /// Commands whose cancellation finishes the current training step (and writes a checkpoint where the command has one).
    /// </summary>
    private static readonly HashSet<string> StepCommands = new(StringComparer.Ordinal)
    {
        "train", "bus-experiment", "compare", "soak", "study", "bench-trainer", "bench-lion", "bench-growth",
    };

    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _error;
    private readonly string _command;
    private int _received;
    private PosixSignal? _first;

    /// <summary>Handlers not yet installed (tests call <see cref="Handle"/> directly); <see cref="Register"/> installs them.</summary>
    internal TerminationSignals(TextWriter error, string command)
    {
        _error = error;
        _command = command;
    }

    /// <summary>Cancelled by the first SIGINT, SIGTERM or SIGHUP.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>
    /// The exit code of a command stopped by the first signal received (<see cref="ExitCodeFor"/>), or null when none was.
    /// </summary>
    public int? ExitCode => _first is { } signal ? ExitCodeFor(signal) : null;

    /// <summary>128 + the POSIX number of <paramref name="signal"/>: SIGHUP 129, SIGINT 130, SIGQUIT 131, SIGTERM 143.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Another signal.</exception>
    public static int ExitCodeFor(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 128 + 1,
        PosixSignal.SIGINT => 128 + 2,
        PosixSignal.SIGQUIT => 128 + 3,
        PosixSignal.SIGTERM => 128 + 15,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Only SIGHUP, SIGINT, SIGQUIT and SIGTERM stop a command."),
    };

    /// <summary>The line printed on the first <paramref name="signal"/> while <paramref name="command"/> runs.</summary>
    public static string StopMessage(PosixSignal signal, string command) => command switch
    {
        "prepare" => $"{signal}: stopping the preparation; its partial token stream is removed (send it again to abort at once).",
        _ when StepCommands.Contains(command) => $"{signal}: stopping after the current step (send it again to abort at once).",
        _ => $"{signal}: stopping (send it again to abort at once).",
    };

    /// <summary>Installs the handlers for <paramref name="command"/> (the subcommand's name; it chooses the stop message).</summary>
    public static TerminationSignals Register(TextWriter error, string command)
    {
        var signals = new TerminationSignals(error, command);
        foreach (var signal in Handled)
        {
            try
            {
                signals._registrations.Add(PosixSignalRegistration.Create(signal, signals.Handle));
            }
            catch (PlatformNotSupportedException)
            {
                // SIGHUP where the platform has no equivalent: the default action applies.
            }
        }

        return signals;
    }

    /// <summary>The handler: the first signal cancels <see cref="Token"/> and keeps the process alive; a later one ends it.</summary>
    internal void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1)
        {
            context.Cancel = false; // second signal: the default action ends the process now
            return;
        }

        context.Cancel = true;
        _first = context.Signal;
        _error.WriteLine(StopMessage(context.Signal, _command));
        _cancellation.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancellation.Dispose();
    }
}
