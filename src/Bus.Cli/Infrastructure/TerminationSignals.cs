using System.Runtime.InteropServices;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM handling: the first signal cancels <see cref="Token"/> (training finishes its step,
/// writes a checkpoint and exits 130); a second signal is not intercepted, so the process ends at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _error;
    private int _received;

    private TerminationSignals(TextWriter error) => _error = error;

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Installs the handlers.</summary>
    public static TerminationSignals Register(TextWriter error)
    {
        var signals = new TerminationSignals(error);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            signals._registrations.Add(PosixSignalRegistration.Create(signal, signals.Handle));
        return signals;
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1)
        {
            context.Cancel = false; // second signal: the default action ends the process now
            return;
        }

        context.Cancel = true;
        _error.WriteLine($"{context.Signal}: stopping after the current step (send it again to abort at once).");
        _cancellation.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancellation.Dispose();
    }
}
