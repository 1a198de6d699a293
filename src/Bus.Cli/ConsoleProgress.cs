namespace Bus.Cli;

/// <summary>One Spectre.Console progress bar (description, bar, percentage, elapsed, remaining) around a long job.</summary>
public static class ConsoleProgress
{
    /// <summary>
    /// Runs <paramref name="work"/>, which reports <typeparamref name="TProgress"/> values; <paramref name="describe"/>
    /// turns each into the bar's completed fraction in [0, 1] and its description (plain text, escaped here).
    /// </summary>
    public static TResult Run<TProgress, TResult>(Func<IProgress<TProgress>, TResult> work, Func<TProgress,
        (double Fraction, string Description)> describe)
    {
        TResult result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("starting", maxValue: 1.0);
                result = work(new InlineProgress<TProgress>(p =>
                {
                    var (fraction, description) = describe(p);
                    bar.Value = fraction;
                    bar.Description = Markup.Escape(description);
                }));
                bar.Value = 1;
            });
        return result;
    }
}
