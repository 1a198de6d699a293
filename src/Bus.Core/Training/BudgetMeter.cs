using Bus.Core.Training.CostModel;

namespace Bus.Core.Training;

/// <summary>
/// Counts everything a run spends (steps, samples, tokens, wall-clock, FLOPs, reference seconds) and tells
/// the fraction of a <see cref="Budget"/> spent. Selection forwards are charged too.
/// </summary>
public sealed class BudgetMeter
{
    private readonly Stopwatch _clock = new();
    private readonly IStepCostModel? _costModel;
    private double _wallOffset;

    /// <summary>Creates a meter; <paramref name="stepsPerEpoch"/> converts epoch budgets to steps.</summary>
    public BudgetMeter(Budget budget, long stepsPerEpoch, IStepCostModel? costModel = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        if (budget.Unit == BudgetUnit.ReferenceSeconds && costModel is null)
            throw new ArgumentException("A ReferenceSeconds budget needs a calibrated IStepCostModel.", nameof(costModel));
        Budget = budget;
        StepsPerEpoch = stepsPerEpoch;
        _costModel = costModel;
    }

    /// <summary>The budget being spent.</summary>
    public Budget Budget { get; }

    /// <summary>Optimizer steps per pass over the training set.</summary>
    public long StepsPerEpoch { get; }

    /// <summary>Optimizer steps taken.</summary>
    public long Steps { get; private set; }

    /// <summary>Examples back-propagated.</summary>
    public long Samples { get; private set; }

    /// <summary>Tokens back-propagated.</summary>
    public long Tokens { get; private set; }

    /// <summary>Examples scored by forward-only passes (batch selection).</summary>
    public long ForwardOnlySamples { get; private set; }

    /// <summary>Estimated FLOPs spent.</summary>
    public double Flops { get; private set; }

    /// <summary>Reference-system seconds spent (0 without a cost model).</summary>
    public double ReferenceSeconds { get; private set; }

    /// <summary>Training wall-clock seconds (the clock runs only between <see cref="Resume"/> and <see cref="Pause"/>).</summary>
    public double WallClockSeconds => _wallOffset + _clock.Elapsed.TotalSeconds;

    /// <summary>Starts or resumes the wall clock.</summary>
    public void Resume() => _clock.Start();

    /// <summary>Pauses the wall clock (e.g. during evaluation).</summary>
    public void Pause() => _clock.Stop();

    /// <summary>Charges one training (forward + backward + optimizer) step.</summary>
    public void ChargeStep(StepCost cost, TransformerConfig config)
    {
        Steps++;
        Samples += cost.BatchSize;
        Tokens += (long)cost.BatchSize * cost.SequenceLength;
        Charge(cost, config);
    }

    /// <summary>Charges a forward-only pass (selection scoring, learned-operator training is charged as steps).</summary>
    public void ChargeForward(StepCost cost, TransformerConfig config)
    {
        ForwardOnlySamples += cost.BatchSize;
        Charge(cost with { ForwardOnly = true }, config);
    }

    /// <summary>
    /// Charges one training step of any module: a <see cref="GrowableTransformer"/> by its shape, anything else by
    /// its parameter count (<see cref="FlopCounter.Estimate(long, StepCost)"/>).
    /// </summary>
    public void ChargeStep(StepCost cost, nn.Module<Tensor, Tensor> module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is GrowableTransformer transformer) { ChargeStep(cost, transformer.Config); return; }
        Steps++;
        Samples += cost.BatchSize;
        Tokens += (long)cost.BatchSize * cost.SequenceLength;
        Charge(FlopCounter.Estimate(ModuleDevice.ParameterCount(module), cost), cost, null);
    }

    /// <summary>Charges a forward-only pass of any module (see <see cref="ChargeStep(StepCost, nn.Module{Tensor, Tensor})"/>).</summary>
    public void ChargeForward(StepCost cost, nn.Module<Tensor, Tensor> module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is GrowableTransformer transformer) { ChargeForward(cost, transformer.Config); return; }
        ForwardOnlySamples += cost.BatchSize;
        Charge(FlopCounter.Estimate(ModuleDevice.ParameterCount(module), cost with { ForwardOnly = true }),
            cost with { ForwardOnly = true }, null);
    }

    /// <summary>
    /// Checks the saved counters [steps, samples, tokens, forward-only samples, FLOPs, reference seconds, wall seconds]
    /// before a restore: seven finite, non-negative numbers, the first four whole and within a 64-bit count.
    /// </summary>
    /// <exception cref="InvalidDataException">A counter is missing, negative, not finite or not whole.</exception>
    internal static double[] ValidateSaved(double[]? counters)
    {
        string[] names = ["steps", "samples", "tokens", "forward-only samples", "FLOPs", "reference seconds", "wall seconds"];
        if (counters is null || counters.Length != names.Length)
            throw new InvalidDataException($"expected {names.Length} counters, got {counters?.Length ?? 0}");
        for (int i = 0; i < names.Length; i++)
        {
            double v = counters[i];
            if (!double.IsFinite(v) || v < 0) throw new InvalidDataException($"{names[i]} {v} must be finite and not negative");
            if (i < 4 && (v != Math.Floor(v) || v >= 9.2e18))
                throw new InvalidDataException($"{names[i]} {v} must be a whole count below 9.2e18");
        }

        return counters;
    }

    /// <summary>
    /// The most steps a run on this budget takes (it stops at the first step where spent &gt;= budget), for budgets counted
    /// in steps or epochs; null for the other units (their steps depend on costs).
    /// </summary>
    internal long? MaxSteps => Budget.Unit switch
    {
        BudgetUnit.Steps => (long)Math.Ceiling(Budget.Amount),
        BudgetUnit.Epochs => FirstStepAtOrPast(Budget.Amount),
        _ => null,
    };

    /// <summary>Refuses saved steps past <see cref="MaxSteps"/> (a checkpoint no run on this budget could have written).</summary>
    /// <exception cref="InvalidDataException">The steps are past the budget (the message names both).</exception>
    internal void RequireWithinBudget(double steps)
    {
        if (MaxSteps is { } max && steps > max)
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"steps {steps} is past the run's budget of {Budget} ({max} steps at most)"));
    }

    private long FirstStepAtOrPast(double epochs)
    {
        long steps = (long)Math.Ceiling(epochs * StepsPerEpoch);
        while (steps > 0 && (double)(steps - 1) / StepsPerEpoch >= epochs) steps--;
        while ((double)steps / StepsPerEpoch < epochs) steps++;
        return steps;
    }

    /// <summary>Restores counters from a checkpoint.</summary>
    public void Restore(long steps, long samples, long tokens, long forwardOnlySamples, double flops, double referenceSeconds,
        double wallSeconds)
    {
        (Steps, Samples, Tokens, ForwardOnlySamples, Flops, ReferenceSeconds) =
            (steps, samples, tokens, forwardOnlySamples, flops, referenceSeconds);
        _wallOffset = wallSeconds - _clock.Elapsed.TotalSeconds;
    }

    /// <summary>Amount of <paramref name="unit"/> spent so far.</summary>
    public double Spent(BudgetUnit unit) => unit switch
    {
        BudgetUnit.Steps => Steps,
        BudgetUnit.Epochs => (double)Steps / StepsPerEpoch,
        BudgetUnit.Samples => Samples,
        BudgetUnit.Tokens => Tokens,
        BudgetUnit.WallClockSeconds => WallClockSeconds,
        BudgetUnit.Flops => Flops,
        BudgetUnit.ReferenceSeconds => ReferenceSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    /// <summary>Fraction of the budget spent, clamped to [0, 1].</summary>
    public double Fraction => Math.Clamp(Spent(Budget.Unit) / Budget.Amount, 0, 1);

    /// <summary>True once the budget is spent: the run stops at the first step where spent &gt;= budget.</summary>
    public bool Exhausted => Spent(Budget.Unit) >= Budget.Amount;

    private void Charge(StepCost cost, TransformerConfig config) => Charge(FlopCounter.Estimate(config, cost), cost, config);

    private void Charge(double flops, StepCost cost, TransformerConfig? config)
    {
        Flops += flops;
        if (_costModel is not null)
            ReferenceSeconds += _costModel is IShapeAwareStepCostModel shaped && config is not null ? shaped.ReferenceSeconds(cost, config)
                : _costModel.ReferenceSeconds(cost);
    }
}
