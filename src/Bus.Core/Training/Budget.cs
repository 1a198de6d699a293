namespace Bus.Core.Training;

/// <summary>How much training a run may spend, in one <see cref="BudgetUnit"/>. Schedules are keyed to the
/// fraction of it spent, so every run is fully decayed exactly at its budget.</summary>
public sealed record Budget
{
    /// <summary>Creates a budget; the amount must be positive and finite.</summary>
    public Budget(BudgetUnit unit, double amount)
    {
        Unit = Guard.Defined(unit, nameof(unit));
        Amount = Guard.Positive(amount, nameof(amount));
    }

    /// <summary>The unit counted.</summary>
    public BudgetUnit Unit { get; }

    /// <summary>How many units may be spent.</summary>
    public double Amount { get; }

    /// <summary>A budget of <paramref name="steps"/> optimizer steps.</summary>
    public static Budget Steps(long steps) => new(BudgetUnit.Steps, steps);

    /// <summary>A budget of <paramref name="epochs"/> passes over the training set.</summary>
    public static Budget Epochs(double epochs) => new(BudgetUnit.Epochs, epochs);

    /// <summary>A budget of <paramref name="samples"/> examples back-propagated.</summary>
    public static Budget Samples(long samples) => new(BudgetUnit.Samples, samples);

    /// <summary>A budget of <paramref name="tokens"/> training tokens (examples x sequence length).</summary>
    public static Budget Tokens(long tokens) => new(BudgetUnit.Tokens, tokens);

    /// <summary>A budget of <paramref name="flops"/> estimated training FLOPs (<see cref="FlopCounter"/>).</summary>
    public static Budget Flops(double flops) => new(BudgetUnit.Flops, flops);

    /// <summary>A budget of <paramref name="seconds"/> of training wall-clock time on this machine (evaluation excluded).</summary>
    public static Budget WallClockSeconds(double seconds) => new(BudgetUnit.WallClockSeconds, seconds);

    /// <summary>A budget of reference-system seconds.</summary>
    public static Budget ReferenceSeconds(double seconds) => new(BudgetUnit.ReferenceSeconds, seconds);

    /// <inheritdoc />
    public override string ToString() => $"{Amount:G6} {Unit}";
}
