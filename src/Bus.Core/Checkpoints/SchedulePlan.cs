namespace Bus.Core.Checkpoints;

/// <summary>
/// The learning-rate plan a checkpoint was written under: the budget the schedule is keyed to and the warm-up fraction in
/// force (which an extension rescales, <see cref="LearningRateSchedule.Extended"/>). Stored under <see cref="Key"/>, so
/// a resume continues the same curve and an extension (<see cref="CheckpointOptions.Extend"/>) knows the planned budget.
/// </summary>
/// <param name="Unit">The budget's unit.</param>
/// <param name="Amount">The planned budget.</param>
/// <param name="WarmupFraction">The warm-up fraction in force, of <paramref name="Amount"/>.</param>
internal sealed record SchedulePlan(BudgetUnit Unit, double Amount, double WarmupFraction)
{
    /// <summary>Checkpoint metadata key.</summary>
    public const string Key = "run/schedule";

    /// <summary>The plan of a run with <paramref name="budget"/> and the schedule in force.</summary>
    public static SchedulePlan Of(Budget budget, LearningRateSchedule schedule) => new(budget.Unit, budget.Amount, schedule.WarmupFraction);

    /// <summary>Serialises for checkpoint metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Reads and checks a stored plan (a known unit, a positive finite amount, a warm-up fraction in [0, 1)).</summary>
    /// <exception cref="InvalidDataException">The entry is not a plan.</exception>
    public static SchedulePlan Parse(string json)
    {
        var plan = JsonSerializer.Deserialize<SchedulePlan>(json) ?? throw new InvalidDataException("null");
        if (!Enum.IsDefined(plan.Unit)) throw new InvalidDataException($"unknown budget unit {plan.Unit}");
        if (!(double.IsFinite(plan.Amount) && plan.Amount > 0))
            throw new InvalidDataException($"budget {plan.Amount} must be positive and finite");
        if (!(plan.WarmupFraction >= 0 && plan.WarmupFraction < 1))
            throw new InvalidDataException($"warm-up fraction {plan.WarmupFraction} must be in [0, 1)");
        return plan;
    }

    /// <summary>An extension's first check, before the checkpoint's counters are read: the budget may not shrink.</summary>
    /// <exception cref="ScheduleExtensionException">The request's budget is smaller than the planned one.</exception>
    public static void RequireNotSmaller(SchedulePlan? saved, Budget budget, string path)
    {
        if (saved is not null && saved.Unit == budget.Unit && budget.Amount < saved.Amount)
            throw new ScheduleExtensionException(Refusal(path, saved, budget) + string.Create(CultureInfo.InvariantCulture,
                $"an extension needs a budget larger than the planned {saved.Amount:G6}; got {budget.Amount:G6}."));
    }

    /// <summary>
    /// The schedule a resumed run continues with: <paramref name="options"/>' schedule with the stored warm-up; for a
    /// request with a larger budget (an extension, <paramref name="extend"/>), that schedule extended
    /// (<see cref="LearningRateSchedule.Extended"/>). <paramref name="saved"/> is null for checkpoints written before
    /// plans were stored (a plain resume keeps the options' schedule; an extension is refused).
    /// </summary>
    /// <exception cref="ScheduleExtensionException">The extension is refused (see the message).</exception>
    public static LearningRateSchedule Resume(SchedulePlan? saved, TrainerOptions options, double spent, bool extend, bool growth,
        string path)
    {
        var budget = options.Budget;
        if (saved is null)
            return extend
                ? throw new ScheduleExtensionException(
                    $"Checkpoint '{path}' has no entry '{Key}' (written before extensions existed): it cannot be extended.")
                : options.Schedule;
        var schedule = options.Schedule with { WarmupFraction = saved.WarmupFraction };
        if (!extend || saved.Amount == budget.Amount && saved.Unit == budget.Unit) return schedule;
        string what = Refusal(path, saved, budget);
        if (saved.Unit != budget.Unit) throw new ScheduleExtensionException(what + $"the budget's unit must stay {saved.Unit}.");
        if (growth)
            throw new ScheduleExtensionException(what + "a run with growth stages cannot be extended (its stages are keyed to the "
                + "planned budget).");
        try
        {
            return schedule.Extended(saved.Amount, budget.Amount, spent);
        }
        catch (ScheduleExtensionException e)
        {
            throw new ScheduleExtensionException(what + e.Message);
        }
    }

    /// <summary>The start of every refusal: the checkpoint and the two budgets.</summary>
    private static string Refusal(string path, SchedulePlan saved, Budget budget) => string.Create(CultureInfo.InvariantCulture,
        $"Checkpoint '{path}': cannot extend the run from {saved.Amount:G6} {saved.Unit} to {budget}: ");
}
