using System.CommandLine;
using Bus.Cli.Commands;

namespace Bus.Cli.Tests;

/// <summary>
/// Issue 23, signals, without sending any signal to the test process: exit codes follow 128 + the signal's number
/// (SIGTERM 143, not 130), SIGHUP stops like SIGTERM (129), and a cancelled <c>prepare</c> does not print the training
/// message. The handler is called directly with a <see cref="PosixSignalContext"/>.
/// </summary>
public sealed class TerminationSignalsTests
{
    [Theory]
    [InlineData(PosixSignal.SIGHUP, 129)]
    [InlineData(PosixSignal.SIGINT, 130)]
    [InlineData(PosixSignal.SIGQUIT, 131)]
    [InlineData(PosixSignal.SIGTERM, 143)]
    public void TheExitCodeIs128PlusTheSignalsNumber(PosixSignal signal, int code) =>
        TerminationSignals.ExitCodeFor(signal).Should().Be(code);

    [Fact]
    public void SighupIsHandledAndStopsLikeSigterm()
    {
        TerminationSignals.Handled.Should().Contain([PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP]);
        var error = new StringWriter();
        using var signals = new TerminationSignals(error, "train");
        signals.ExitCode.Should().BeNull();
        var hup = new PosixSignalContext(PosixSignal.SIGHUP);
        signals.Handle(hup);
        hup.Cancel.Should().BeTrue("the first signal keeps the process alive to finish the step and write a checkpoint");
        signals.Token.IsCancellationRequested.Should().BeTrue();
        signals.ExitCode.Should().Be(129);
        error.ToString().Trim().Should().Be("SIGHUP: stopping after the current step (send it again to abort at once).");

        var term = new PosixSignalContext(PosixSignal.SIGTERM);
        signals.Handle(term);
        term.Cancel.Should().BeFalse("a second signal is left to its default action, which ends the process");
        signals.ExitCode.Should().Be(129, "the exit code is the first signal's");
    }

    [Fact]
    public void SigtermExits143()
    {
        using var signals = new TerminationSignals(new StringWriter(), "train");
        signals.Handle(new PosixSignalContext(PosixSignal.SIGTERM));
        signals.ExitCode.Should().Be(143);
    }

    [Fact]
    public void CtrlCDuringPrepareDoesNotPrintTheTrainingMessage()
    {
        var root = new RootCommand();
        root.Add(PrepareCommand.Create());
        root.Add(TrainCommand.Create());
        CliBoundary.CommandName(root.Parse(["prepare", "corpus.txt"])).Should().Be("prepare");
        CliBoundary.CommandName(root.Parse(["train", "--steps", "3"])).Should().Be("train");
        CliBoundary.CommandName(root.Parse([])).Should().Be("bus-experiment");

        var error = new StringWriter();
        using var signals = new TerminationSignals(error, "prepare");
        signals.Handle(new PosixSignalContext(PosixSignal.SIGINT));
        error.ToString().Should().NotContain("step").And.Contain("SIGINT: stopping the preparation");
        TerminationSignals.StopMessage(PosixSignal.SIGINT, "train").Should().Contain("after the current step");
        TerminationSignals.StopMessage(PosixSignal.SIGINT, "report").Should().NotContain("step");
    }
}
