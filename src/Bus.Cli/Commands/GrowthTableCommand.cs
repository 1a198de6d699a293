namespace Bus.Cli.Commands;

/// <summary><c>bus growth-table</c>: the function-preservation table (family x mode x operator) as Markdown.</summary>
public static class GrowthTableCommand
{
    private static readonly Option<long> Seed = RunOptions.Seed(1, "seed of the random models, tokens and unit mappings");

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("growth-table",
            "Measure which growth operators preserve the function, on each model family and mode (Markdown table).");
        command.Add(Seed);
        command.SetAction(parse =>
        {
            var rows = PreservationTable.Run(parse.GetValue(Seed));
            Console.WriteLine("| family | mode | operator | growth | claimed exact | max rel. logit diff | within 1e-5 |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var r in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Family} | {r.Mode.ToString().ToLowerInvariant()} | {r.Operator} | {r.Growth} | "
                        + $"{(r.ClaimedExact ? "yes" : "no")} | {r.MaxRelativeDifference:0.0E+00} | {(r.Exact ? "yes" : "no")} |"));
            var broken = rows.Where(r => r.ClaimedExact && !r.Exact).ToList();
            if (broken.Count > 0)
                throw new InvalidOperationException($"{broken.Count} operator(s) claimed exact exceeded the tolerance: "
                    + $"{string.Join(", ", broken.Select(r => $"{r.Family}/{r.Mode}/{r.Operator}"))}.");
        });
        return command;
    }
}
