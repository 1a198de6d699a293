namespace Bus.Cli.Infrastructure;

/// <summary>Builds a command from its name, its help line and its arguments and options, in help order.</summary>
internal static class CommandFactory
{
    /// <summary>A command holding <paramref name="symbols"/> (arguments and options).</summary>
    /// <exception cref="ArgumentException">A symbol is neither an argument nor an option.</exception>
    public static Command Create(string name, string description, params IEnumerable<Symbol> symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Add(argument); break;
                case Option option: command.Add(option); break;
                default: throw new ArgumentException($"Command {name}: {symbol.Name} is neither an argument nor an option.",
                    nameof(symbols));
            }
        }
        return command;
    }
}
