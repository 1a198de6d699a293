namespace Bus.Cli.Infrastructure;

/// <summary>The <c>--task</c> option of the experiment commands (<c>bus-experiment</c>, <c>compare</c>): "letter" or "charlm".</summary>
internal static class ExperimentTaskOption
{
    /// <summary>A new <c>--task</c> option (each command owns its own option instance).</summary>
    public static Option<string> Create() =>
        new("--task") { Description = "letter (letter counting, accuracy) or charlm (bits per character)",
            DefaultValueFactory = _ => "letter" };

    /// <summary>The task named by <paramref name="task"/>.</summary>
    /// <exception cref="ArgumentException">Another name (the message says which names are known).</exception>
    public static ExperimentTaskKind Parse(string task) => task switch
    {
        "letter" => ExperimentTaskKind.LetterCounting,
        "charlm" => ExperimentTaskKind.CharLm,
        _ => throw new ArgumentException($"Unknown task '{task}': use letter or charlm.", "--task"),
    };
}
