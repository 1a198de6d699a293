namespace Bus.Optimizers;

/// <summary>
/// The thin optimizer class that Lion and Muon share around their pure updates (<see cref="LionUpdate"/>,
/// <see cref="MuonUpdate"/>), with TorchSharp's param-group, learning-rate and state_dict conventions: the defaults are
/// validated once, a group takes the options it leaves unset from them, each parameter gets a fresh state, a step runs
/// the update on every parameter that has a gradient, and the states are released on dispose.
/// </summary>
/// <typeparam name="TOptions">The optimizer's per-group options.</typeparam>
public abstract class GroupedOptimizer<TOptions> : OptimizerHelper where TOptions : GroupOptions, new()
{
    private protected GroupedOptimizer(IEnumerable<TorchSharp.Modules.ParamGroup> parameters, TOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        defaults.InitialLearningRate = defaults.LearningRate!.Value;
        defaults.Validate();
        _defaults = defaults;
        _parameter_groups = new List<TorchSharp.Modules.ParamGroup>();
        foreach (var group in parameters) add_param_group(group);
    }

    /// <summary>Bytes held by optimizer state: every state tensor of every parameter.</summary>
    public long StateBytes => _state.Values.OfType<IStateTensors>().SelectMany(s => s.Tensors).Sum(t => t.NumberOfElements * t.ElementSize);

    /// <summary>The defaults that groups added later take for the options they leave unset.</summary>
    private protected TOptions Defaults => (TOptions)_defaults;

    /// <summary>Performs one step of every parameter that has a gradient (parameters without one are skipped).</summary>
    /// <param name="closure">Optional closure that re-evaluates the model and returns the loss (run with grad enabled).</param>
    /// <returns>The closure's loss, or null without a closure.</returns>
    public override Tensor step(Func<Tensor>? closure = null) => _step<TorchSharp.Modules.ParamGroup>(group =>
    {
        var options = (TOptions)group.Options;
        using var s = new StepScalars(); // scalars alive through the native calls
        foreach (var param in group.Parameters)
        {
            if (param.grad is not { } grad) continue;
            using var scope = NewDisposeScope();
            Update(param, grad, _state[param.Handle], options, s);
        }
    }, closure);

    /// <summary>
    /// Adds a parameter group; options it leaves unset take the optimizer's defaults, and each of its parameters gets a
    /// fresh (zero) state.
    /// </summary>
    /// <param name="param_group">The group to add (its Options may be null).</param>
    /// <exception cref="ArgumentOutOfRangeException">A group option is out of range or NaN, or a parameter does not suit
    /// the group.</exception>
    /// <exception cref="ArgumentException">A parameter already belongs to this optimizer, or the group's options are of
    /// another optimizer.</exception>
    public override void add_param_group(TorchSharp.Modules.ParamGroup param_group)
    {
        ArgumentNullException.ThrowIfNull(param_group);
        param_group.Options ??= new TOptions();
        if (param_group.Options is not TOptions options)
            throw new ArgumentException($"{GetType().Name} parameter groups need {typeof(TOptions).FullName} options.",
                nameof(param_group));
        options.Inherit(Defaults);
        options.Validate();
        options.InitialLearningRate = options.LearningRate!.Value;
        var parameters = (param_group.Parameters ?? []).ToList();
        foreach (var p in parameters)
        {
            if (_state.ContainsKey(p.Handle))
                throw new ArgumentException("A parameter appears in more than one parameter group.", nameof(param_group));
            CheckParameter(p, options);
        }
        param_group.Parameters = parameters;
        _parameter_groups.Add(param_group);
        foreach (var p in parameters) _state[p.Handle] = NewState(p, options);
    }

    /// <summary>Throws when <paramref name="parameter"/> cannot join a group with <paramref name="options"/>.</summary>
    private protected virtual void CheckParameter(Parameter parameter, TOptions options)
    {
    }

    /// <summary>The zero state of a parameter joining a group with <paramref name="options"/>.</summary>
    private protected abstract OptimizerState NewState(Parameter parameter, TOptions options);

    /// <summary>The pure update of one parameter, in place, with its group's options.</summary>
    private protected abstract void Update(Parameter param, Tensor grad, OptimizerState state, TOptions options, StepScalars s);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        // The states themselves, not looked up by parameter handle: the model (and its parameters) may already be
        // disposed, and an invalid parameter has no handle (issue 12: dispose the model, then the optimizer).
        foreach (var state in _state.Values.OfType<IDisposable>()) state.Dispose();
        _state.Clear();
    }
}
