using Bus.Core.Checkpoints.SafeTensors;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// The one exception boundary of every <c>bus</c> command. User errors (bad option values, missing or corrupt
/// files, a locked or mismatched checkpoint folder) print one line <c>error: ...</c> and exit 2; cancellation
/// by a signal exits 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129; <see cref="TerminationSignals"/>); anything
/// else prints one line and exits 1, with the stack trace only under
/// <c>--verbose</c>. Commands signal user errors by throwing and never print their own error lines.
/// </summary>
internal static class CliBoundary
{
    /// <summary>Exit code of a run that finished.</summary>
    public const int Ok = 0;

    /// <summary>Exit code of an internal error (a bug, or a failure that is not the user's input).</summary>
    public const int InternalError = 1;

    /// <summary>Exit code of bad input: an option value, a file, a checkpoint folder.</summary>
    public const int UserError = 2;

    /// <summary>
    /// Exit code of a run cancelled by Ctrl+C (128 + SIGINT); SIGTERM and SIGHUP give 143 and 129
    /// (<see cref="TerminationSignals.ExitCodeFor"/>).
    /// </summary>
    public const int Cancelled = 130;

    private const int MaxMessageLength = 400;

    /// <summary>The <c>--verbose</c> option, recognised by every command.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "print the stack trace of internal errors",
        Recursive = true };

    /// <summary>
    /// Parses <paramref name="args"/>, runs the chosen command under the signal handlers and maps its outcome to an exit
    /// code.
    /// </summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter error)
    {
        root.Add(Verbose);
        var parse = root.Parse(args);
        bool verbose = args.Contains(Verbose.Name, StringComparer.Ordinal);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine("error: " + OneLine(string.Join("; ", parse.Errors.Select(e => e.Message))));
            return UserError;
        }

        using var signals = TerminationSignals.Register(error, CommandName(parse));
        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            int code = await parse.InvokeAsync(configuration, signals.Token).ConfigureAwait(false);
            return signals.ExitCode is { } stopped && code is Ok or Cancelled ? stopped : code;
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            if (inner is OperationCanceledException && signals.Token.IsCancellationRequested)
            {
                error.WriteLine("cancelled");
                return signals.ExitCode ?? Cancelled;
            }

            bool user = IsUserError(inner);
            error.WriteLine("error: " + OneLine(user ? MessageOf(inner).ReplaceLineEndings(" ") : inner.Message) + (user || verbose
                ? "" : $" ({inner.GetType().Name}; run with --verbose for the stack trace)"));
            if (verbose) error.WriteLine(e.ToString());
            return user ? UserError : InternalError;
        }
    }

    /// <summary>
    /// The name of the command <paramref name="parse"/> runs; the root command runs the BUS experiment ("bus-experiment").
    /// </summary>
    internal static string CommandName(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "bus-experiment" : parse.CommandResult.Command.Name;

    /// <summary>True for the exception types commands throw for bad input (see the CLI error convention).</summary>
    public static bool IsUserError(Exception e) => e is ArgumentException or FileNotFoundException or DirectoryNotFoundException
        or InvalidDataException or FormatException or CheckpointLockedException or ResumeMismatchException
        or RescueRefusedException or Bus.Core.Optimization.ScheduleExtensionException or SafeTensorsFormatException
        or UnauthorizedAccessException
        or System.Text.Json.JsonException;

    /// <summary>
    /// The message; for an option's <see cref="ArgumentException"/> whose first line already names the option, that line
    /// without the " (Parameter '--x')" suffix and the "Actual value was" line (the value is in the message).
    /// </summary>
    private static string MessageOf(Exception e)
    {
        if (e is ArgumentException { ParamName: { } name } a && name.StartsWith("--", StringComparison.Ordinal))
        {
            string first = a.Message.Split('\n')[0].TrimEnd('\r').Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
            if (first.Contains(name, StringComparison.Ordinal)) return first;
        }

        return e.Message;
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException
            && e.InnerException is not null)
            e = e.InnerException!;
        return e;
    }

    /// <summary>
    /// The first line of <paramref name="message"/> with control and other non-printable characters replaced and the
    /// length capped, so a message never prints binary data or a native stack trace.
    /// </summary>
    public static string OneLine(string message)
    {
        string first = message.Split('\n', 2)[0].TrimEnd('\r');
        var chars = first.Select(c => char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD'
            || char.GetUnicodeCategory(c) is UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse ? '?' : c).ToArray();
        string line = new(chars);
        return line.Length <= MaxMessageLength ? line : line[..MaxMessageLength] + "...";
    }
}
