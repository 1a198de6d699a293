namespace Bus.Growth.Schedules;

/// <summary>
/// Carries optimizer state across growth (policy <see cref="OptimizerStatePolicy.MapMoments"/>). Works on TorchSharp's
/// managed optimizers (<see cref="OptimizerHelper"/>: AdamW, Adam, Bus Lion): their <c>state_dict()</c> holds the live
/// per-parameter state objects, in parameter-group order, read through their typed fields (<see cref="AdamW.State"/>,
/// <see cref="Adam.State"/>) or <see cref="IMomentState"/> (Lion); the moments <c>exp_avg</c> (first) and
/// <c>exp_avg_sq</c> / <c>max_exp_avg_sq</c> (second) are overwritten in place with the operator's mapping,
/// and Adam's <c>step</c> is set to the old optimizer's step for every mapped parameter (new parameters
/// keep step 0 and zero moments, so their bias correction starts afresh).
/// </summary>
public static class MomentMapper
{
    private static readonly IReadOnlyDictionary<string, MomentKind> Moments = new Dictionary<string, MomentKind>
    {
        ["exp_avg"] = MomentKind.First,
        ["exp_avg_sq"] = MomentKind.Second,
        ["max_exp_avg_sq"] = MomentKind.Second,
    };

    /// <summary>
    /// Fills <paramref name="grownOptimizer"/> (freshly created over <paramref name="grownModel"/>) from <paramref name="smallOptimizer"/>:
    /// each moment kind is mapped by <paramref name="plan"/> in one pass over all parameters, and every mapped tensor is used.
    /// </summary>
    /// <param name="smallOptimizer">The optimizer that trained <paramref name="smallModel"/>.</param>
    /// <param name="smallModel">The model before growth (any module whose parameters the plan's layout names).</param>
    /// <param name="grownOptimizer">A new optimizer of the same type over <paramref name="grownModel"/>'s parameters.</param>
    /// <param name="grownModel">The model the plan grew from <paramref name="smallModel"/>.</param>
    /// <param name="plan">The growth (its operator must map moments).</param>
    /// <param name="context">The context the model was grown with (same seed, same unit mapping).</param>
    /// <exception cref="NotSupportedException">An optimizer is not managed, holds state tensors of unknown meaning, or the operator does
    /// not map moments.</exception>
    public static void Map(optim.Optimizer smallOptimizer, nn.Module smallModel, optim.Optimizer grownOptimizer,
        nn.Module grownModel, GrowthPlan plan, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(smallModel);
        ArgumentNullException.ThrowIfNull(grownModel);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        if (smallOptimizer?.GetType() != grownOptimizer?.GetType())
            throw new ArgumentException($"Optimizer types differ: {smallOptimizer?.GetType().Name} and {grownOptimizer?.GetType().Name}.",
                nameof(grownOptimizer));
        var small = StatesByName(smallOptimizer!, smallModel);
        var grown = StatesByName(grownOptimizer!, grownModel);
        long step = small.Values.Select(GetStep).DefaultIfEmpty(0).Max();

        using var noGrad = no_grad();
        foreach (var member in Moments.Keys)
        {
            var smallMoments = small.Where(s => StateTensor(s.Value, member) is not null)
                .ToDictionary(s => s.Key, s => StateTensor(s.Value, member)!);
            if (smallMoments.Count == 0) continue;
            var mapped = plan.MapMoments(smallMoments, Moments[member], context);
            try
            {
                foreach (var (name, tensor) in mapped)
                {
                    if (!grown.TryGetValue(name, out var state))
                        throw new ArgumentException($"The grown optimizer holds no state for parameter '{name}'.", nameof(grownOptimizer));
                    if (StateTensor(state, member) is not { } target) continue;
                    target.copy_(tensor);
                    SetStep(state, step);
                }
            }
            finally
            {
                foreach (var t in mapped.Values) t.Dispose();
            }
        }
    }

    /// <summary>The optimizer's live per-parameter state objects, keyed by canonical parameter name.</summary>
    /// <param name="optimizer">A managed TorchSharp optimizer over <paramref name="model"/>'s parameters.</param>
    /// <param name="model">The model the optimizer trains.</param>
    /// <exception cref="NotSupportedException">The optimizer is implemented natively or holds state of unknown meaning.</exception>
    public static IReadOnlyDictionary<string, OptimizerState> StatesByName(optim.Optimizer optimizer, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(model);
        if (optimizer is not OptimizerHelper managed)
            throw new NotSupportedException($"Optimizer {optimizer.GetType().Name} keeps its state natively; only managed optimizers " +
                $"(AdamW, Adam, Lion) can be mapped.");
        var names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        var parameters = managed.ParamGroups.Cast<ParamGroup>().SelectMany(g => g.Parameters).ToList();
        var states = managed.state_dict().State;
        var result = new Dictionary<string, OptimizerState>();
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!names.TryGetValue(parameters[i].Handle, out var name))
                throw new ArgumentException("The optimizer holds a parameter that is not the model's.", nameof(optimizer));
            if (states[i] is not (AdamW.State or Adam.State or IMomentState))
                throw new NotSupportedException($"Optimizer {optimizer.GetType().Name} holds state of unknown meaning " +
                    $"({states[i].GetType().Name}); moments can be mapped for AdamW, Adam and states implementing IMomentState (Lion).");
            result[name] = states[i];
        }
        return result;
    }

    /// <summary>The state tensor called <paramref name="member"/> (null when absent, e.g. max_exp_avg_sq without amsgrad).</summary>
    /// <param name="state">A per-parameter optimizer state.</param>
    /// <param name="member">exp_avg, exp_avg_sq or max_exp_avg_sq.</param>
    public static Tensor? StateTensor(OptimizerState state, string member)
    {
        ArgumentNullException.ThrowIfNull(state);
        return (state, member) switch
        {
            (AdamW.State s, "exp_avg") => s.exp_avg,
            (AdamW.State s, "exp_avg_sq") => s.exp_avg_sq,
            (AdamW.State s, "max_exp_avg_sq") => s.max_exp_avg_sq,
            (Adam.State s, "exp_avg") => s.exp_avg,
            (Adam.State s, "exp_avg_sq") => s.exp_avg_sq,
            (Adam.State s, "max_exp_avg_sq") => s.max_exp_avg_sq,
            (IMomentState s, "exp_avg") => s.FirstMoment,
            (IMomentState s, "exp_avg_sq") => s.SecondMoment,
            _ => null,
        };
    }

    /// <summary>The state's step count (Adam, AdamW), or 0 when it keeps none.</summary>
    /// <param name="state">A per-parameter optimizer state.</param>
    public static long GetStep(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state switch
        {
            AdamW.State s => s.step,
            Adam.State s => s.step,
            IMomentState s => s.Step,
            _ => 0,
        };
    }

    private static void SetStep(OptimizerState state, long step)
    {
        switch (state)
        {
            case AdamW.State s: s.step = step; break;
            case Adam.State s: s.step = step; break;
            case IMomentState s: s.Step = step; break;
        }
    }
}
