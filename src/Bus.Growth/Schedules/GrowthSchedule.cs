namespace Bus.Growth.Schedules;

/// <summary>
/// Applies growth stages in order during one training run (one stage, or multi-stage such as 64 -> 128 -> 256), for a
/// <see cref="GrowableTransformer"/> (<see cref="GrowthStage"/>s) or for any module a <see cref="ModelLayout"/> describes
/// (<see cref="ModuleGrowthStage"/>s and a factory that builds the module of a shape). Every stage's <see cref="GrowthPlan"/>
/// is made, and so validated, once, when the schedule is built. Inside the run's <c>Fit</c> the learning-rate schedule
/// simply continues (it is keyed to the budget fraction), and with <see cref="OptimizerStatePolicy.MapMoments"/> the
/// optimizer moments are mapped by the operator (<see cref="MomentMapper"/>). Each growth evaluates the dev loss just before and just after
/// growth and records
/// both (notes "growth: before"/"growth: after") and a typed <see cref="GrowthEvent"/> (<see cref="TrainingResult.Growths"/>),
/// so function preservation — or its absence — is visible in every run. Optimizer-state policy: <see cref="OptimizerStatePolicy.Reset"/> (a
/// fresh optimizer for the grown
/// parameters, the default) or <see cref="OptimizerStatePolicy.MapMoments"/>.
/// Masked operators (<see cref="IMaskedGrowthOperator"/>, MSG; transformers only) return the grown model with its mask at 0; the schedule
/// then sets the mask at every step end by the operator's <see cref="MaskRamp"/> and removes it when it reaches 1
/// (a stage that fires during a ramp first folds the mask into the masked blocks' residual-writing weights, which
/// computes the same function; a width mask cannot be folded and is removed). The ramp's progress is part of the checkpointed state.
/// </summary>
public sealed class GrowthSchedule : ITrainingAlgorithm, ICheckpointable, IFingerprinted
{
    /// <summary>A validated stage: its trigger, its plan, and the target config when the model is a transformer.</summary>
    private sealed record Stage(GrowthTrigger Trigger, GrowthPlan Plan, TransformerConfig? Config)
    {
        public IGrowthOperator Operator => Plan.Operator;
    }

    private readonly TransformerConfig? _initial;
    private readonly IReadOnlyList<Stage> _stages;
    private readonly Func<ModelShape, nn.Module<Tensor, Tensor>>? _factory;
    private int _next;
    private MaskRampProgress? _ramp;

    /// <summary>Creates a schedule for a <see cref="GrowableTransformer"/> and validates every stage against the one before it.</summary>
    /// <param name="initial">Config of the model training starts with.</param>
    /// <param name="stages">Stages in the order they fire.</param>
    /// <param name="seed">Seed for the operators' random choices.</param>
    /// <param name="policy">What happens to the optimizer state at growth (default <see cref="OptimizerStatePolicy.Reset"/>).</param>
    /// <exception cref="ArgumentException">A stage does not fit the one before it, or <paramref name="policy"/> is
    /// <see cref="OptimizerStatePolicy.MapMoments"/> and a stage's operator does not map moments (<see
    /// cref="IGrowthOperator.MapsMoments"/>).</exception>
    public GrowthSchedule(TransformerConfig initial, IEnumerable<GrowthStage> stages, long seed = 0,
        OptimizerStatePolicy policy = OptimizerStatePolicy.Reset)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _stages = Checked(Planned(stages, initial, s => s.Target,
            (stage, from) => new Stage(stage.Trigger, GrowthPlan.Create(stage.Operator, from, stage.Target), stage.Target)), policy);
        _initial = initial;
        Seed = seed;
        Policy = policy;
    }

    /// <summary>
    /// Creates a schedule for any module whose parameters <paramref name="layout"/> describes: at each stage the module's
    /// named parameters are grown by the stage's operator, <paramref name="factory"/> builds the module of the target shape,
    /// and the grown tensors are loaded into it by name. Every stage is validated against the one before it now.
    /// </summary>
    /// <param name="layout">The module's parameter table.</param>
    /// <param name="initial">Shape of the module training starts with.</param>
    /// <param name="stages">Stages in the order they fire.</param>
    /// <param name="factory">Builds a module of a shape (its parameters must be exactly the layout's at that shape).</param>
    /// <param name="seed">Seed for the operators' random choices.</param>
    /// <param name="policy">What happens to the optimizer state at growth (default <see cref="OptimizerStatePolicy.Reset"/>).</param>
    /// <exception cref="ArgumentException">A stage does not fit the one before it, a stage's operator is masked (masks are a
    /// <see cref="GrowableTransformer"/> feature), or <paramref name="policy"/> is <see cref="OptimizerStatePolicy.MapMoments"/>
    /// and a stage's operator does not map moments.</exception>
    public GrowthSchedule(ModelLayout layout, ModelShape initial, IEnumerable<ModuleGrowthStage> stages,
        Func<ModelShape, nn.Module<Tensor, Tensor>> factory, long seed = 0, OptimizerStatePolicy policy = OptimizerStatePolicy.Reset)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(factory);
        _stages = Checked(Planned(stages, initial, s => s.Target, (stage, from) => stage.Operator is IMaskedGrowthOperator
            ? throw new ArgumentException(
                $"Operator {stage.Operator.Name} grows behind a mask, which only a GrowableTransformer applies; " +
                "use a GrowthStage schedule.", nameof(stages))
            : new Stage(stage.Trigger, GrowthPlan.Create(stage.Operator, layout, from, stage.Target), null)), policy);
        _factory = factory;
        Layout = layout;
        InitialShape = initial;
        Seed = seed;
        Policy = policy;
    }

    // Each stage planned from the shape the stage before it grows to (the first from the initial shape).
    private static List<Stage> Planned<TStage, TShape>(IEnumerable<TStage> stages, TShape initial, Func<TStage, TShape> target,
        Func<TStage, TShape, Stage> plan)
    {
        var list = (stages ?? throw new ArgumentNullException(nameof(stages))).ToList();
        var plans = new List<Stage>(list.Count);
        var from = initial;
        foreach (var stage in list)
        {
            ArgumentNullException.ThrowIfNull(stage, nameof(stages));
            plans.Add(plan(stage, from));
            from = target(stage);
        }
        return plans;
    }

    private static List<Stage> Checked(List<Stage> stages, OptimizerStatePolicy policy)
    {
        if (!Enum.IsDefined(policy)) throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown optimizer-state policy.");
        if (stages.Count == 0) throw new ArgumentException("A growth schedule needs at least one stage.", "stages");
        if (policy == OptimizerStatePolicy.MapMoments && stages.FirstOrDefault(s => !s.Plan.MapsMoments) is { } refused)
            throw new ArgumentException($"Operator {refused.Operator.Name} cannot map optimizer moments; use OptimizerStatePolicy.Reset.",
                nameof(policy));
        return stages;
    }

    /// <summary>The layout of a module schedule (null for a transformer schedule, whose layout follows its configs).</summary>
    public ModelLayout? Layout { get; }

    /// <summary>The shape a module schedule starts from (null for a transformer schedule).</summary>
    public ModelShape? InitialShape { get; }

    /// <summary>What happens to the optimizer state at growth.</summary>
    public OptimizerStatePolicy Policy { get; }

    /// <summary>Seed for the operators' random choices (stage k uses seed + k).</summary>
    public long Seed { get; }

    /// <summary>Stages applied so far.</summary>
    public int Applied => _next;

    /// <summary>The mask value of a running MSG ramp (<see cref="IMaskedGrowthOperator"/>), or null when none runs.</summary>
    public double? MaskValue => _ramp?.Value;

    /// <inheritdoc />
    public string Name => "growth:" + string.Join("+", _stages.Select(s => s.Operator.Name).Distinct());

    /// <inheritdoc />
    public AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;

    /// <summary>The growth plan for the run fingerprint: each stage's trigger, target shape and operator, the seed and the optimizer
    /// policy.</summary>
    public string Fingerprint => string.Join(" -> ", _stages.Select(s =>
        $"{s.Trigger} to {s.Plan.To.Describe()} " +
        $"by {s.Operator.Name}{(s.Operator is IMaskedGrowthOperator m ? $" ({m.Ramp})" : "")}")) + $"; seed {Seed}; {Policy}";

    /// <inheritdoc />
    public string CheckpointKey => "growth-schedule";

    /// <inheritdoc />
    public void SaveState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetString(CheckpointKey + "/applied", _next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _ramp?.Save(state, CheckpointKey);
    }

    /// <inheritdoc />
    public void LoadState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _next = int.Parse(state.GetString(CheckpointKey + "/applied"), System.Globalization.CultureInfo.InvariantCulture);
        _ramp = MaskRampProgress.Load(state, CheckpointKey);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">At <see cref="TrainingEvent.FitStart"/>: the model's shape differs from the shape the schedule
    /// expects now (its initial shape, or the target of the last stage applied).</exception>
    public void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.FitStart)
        {
            RequireExpectedShape(state);
            InstallMask(state);
        }
        if (trainingEvent == TrainingEvent.StepEnd) AdvanceRamp(state);
        if (trainingEvent == TrainingEvent.FitEnd && _ramp is not null)
            state.Write($"mask ramp of growth {_ramp.Stage + 1} unfinished at the end of the run: the model keeps its mask at " +
                $"{_ramp.Value:R}");
        if (_next >= _stages.Count) return;
        var stage = _stages[_next];
        bool fire = (trainingEvent, stage.Trigger) switch
        {
            (TrainingEvent.StepEnd, StepTrigger s) => state.Meter.Steps >= s.Step,
            (TrainingEvent.StepEnd, EpochTrigger e) => state.Meter.Spent(BudgetUnit.Epochs) >= e.Epoch - 1e-9,
            (TrainingEvent.StepEnd, FractionTrigger f) => state.Meter.Fraction >= f.Fraction,
            (TrainingEvent.Evaluated, PlateauTrigger p) => Plateaued(state, p),
            _ => false,
        };
        if (fire && !state.Meter.Exhausted) Grow(stage, state);
    }

    private void Grow(Stage stage, TrainingState state)
    {
        if (_ramp is not null) FoldMask(state);
        var small = state.Module;
        var from = (small as GrowableTransformer)?.Config;
        var before = state.Record(state.LastTrainLoss, $"growth {_next + 1}: before");
        var context = new GrowthContext(Seed + _next, state.TrainSequences, state.Objective, state.Options.BatchSize, state.Meter);
        nn.Module<Tensor, Tensor> grown = stage.Config is { } target
            ? stage.Plan.Grow(state.Transformer, target, context)
            : GrowModule(stage.Plan, small, context);
        optim.Optimizer? optimizer = null;
        if (Policy == OptimizerStatePolicy.MapMoments)
        {
            // The trainer's rate, as at the start: the factory applies its own scale (e.g. Lion's / 3) once, so the peak is unchanged.
            optimizer = state.OptimizerFactory.Create(Trainer.Named(grown), state.Options.LearningRate, state.Options.WeightDecay);
            MomentMapper.Map(state.Optimizer, small, optimizer, grown, stage.Plan, context);
        }
        state.ReplaceModel(grown, $"{stage.Operator.Name} stage {_next + 1}", optimizer);
        if (stage.Operator is IMaskedGrowthOperator && grown is GrowableTransformer { Mask: not null })
            _ramp = MaskRampProgress.Start(_next, state.Meter);
        var after = state.Record(state.LastTrainLoss, $"growth {_next + 1}: after");
        state.RecordGrowth(stage.Config is null
            ? new GrowthEvent(_next + 1, stage.Operator.Name, null, null, before,
                after) { FromShape = stage.Plan.From, ToShape = stage.Plan.To }
            : new GrowthEvent(_next + 1, stage.Operator.Name, from, stage.Config, before, after));
        _next++;
    }

    /// <summary>Grows any module: its named parameters through the plan, loaded by name into the factory's module of the target
    /// shape.</summary>
    private nn.Module<Tensor, Tensor> GrowModule(GrowthPlan plan, nn.Module<Tensor, Tensor> small, GrowthContext context)
    {
        var weights = small.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var big = plan.Grow(weights, context);
        nn.Module<Tensor, Tensor>? grown = null;
        try
        {
            grown = _factory!(plan.To)
                ?? throw new InvalidOperationException($"The growth schedule's factory returned null for {plan.To}.");
            var device = ModuleDevice.Of(small);
            if (ModuleDevice.Of(grown).type != device.type) grown.to(device);
            var parameters = grown.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            try
            {
                plan.Layout.Validate(parameters, plan.To);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException(
                    $"The growth schedule's factory built a module that does not fit layout '{plan.Layout.Name}' at {plan.To}: " +
                    e.Message, e);
            }
            using var noGrad = no_grad();
            foreach (var (name, parameter) in parameters) parameter.copy_(big[name]);
            return grown;
        }
        catch
        {
            grown?.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in big.Values) t.Dispose();
        }
    }

    /// <summary>MSG: sets the mask for the next step by the ramp of the stage that installed it; removes it at 1.</summary>
    private void AdvanceRamp(TrainingState state)
    {
        if (_ramp is null) return;
        var op = (IMaskedGrowthOperator)_stages[_ramp.Stage].Operator;
        double m = op.Ramp.Value(state.Meter.Steps - _ramp.StartStep, state.Meter.Fraction - _ramp.StartFraction);
        if (m >= 1)
        {
            state.Transformer.Mask = null;
            state.Write($"mask ramp of growth {_ramp.Stage + 1} complete: mask removed (m = 1)");
            _ramp = null;
            return;
        }
        _ramp = _ramp with { Value = m };
        if (state.Transformer.Mask is { } mask) mask.Value = m;
    }

    /// <summary>After a resume in the middle of a ramp: the restored model gets its mask back, at the saved value.</summary>
    private void InstallMask(TrainingState state)
    {
        if (_ramp is null || state.Module is not GrowableTransformer model || model.Mask is not null) return;
        var op = (IMaskedGrowthOperator)_stages[_ramp.Stage].Operator;
        var from = _ramp.Stage == 0 ? _initial : _stages[_ramp.Stage - 1].Config;
        var mask = op.CreateMask(from!, _stages[_ramp.Stage].Config!);
        mask.Value = _ramp.Value;
        model.Mask = mask;
    }

    /// <summary>
    /// Ends a running ramp early (another stage fires): the mask m is multiplied into the masked blocks' residual-writing
    /// weights and biases (m (W a + b) = (m W) a + m b), so the model computes the same function without its mask.
    /// </summary>
    private void FoldMask(TrainingState state)
    {
        var model = state.Transformer;
        if (model.Mask is { Width: not null })
        {
            // the norms' weighted statistics cannot be folded into weights: the model jumps to m = 1
            model.Mask = null;
            state.Write($"mask ramp of growth {_ramp!.Stage + 1} ended early by the next stage at m = {_ramp.Value:R}: width mask " +
                $"removed (m = 1)");
            _ramp = null;
            return;
        }
        if (model.Mask is { } mask)
        {
            using var noGrad = no_grad();
            var layout = model.Layout;
            foreach (var (name, parameter) in model.named_parameters())
            {
                var (rule, layer) = layout.Resolve(name);
                if (rule.WritesResidual && mask.MaskedBlocks.Contains(layer)) parameter.mul_(mask.Value);
            }
            model.Mask = null;
        }
        state.Write($"mask ramp of growth {_ramp!.Stage + 1} ended early by the next stage: mask {_ramp.Value:R} folded into the new " +
            $"blocks' output weights");
        _ramp = null;
    }

    /// <summary>The model must have the shape this schedule grows from (after a resume: the target of the last stage applied).</summary>
    private void RequireExpectedShape(TrainingState state)
    {
        if (_initial is null)
        {
            var shape = _next == 0 ? InitialShape! : _stages[_next - 1].Plan.To;
            var parameters = state.Module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            try
            {
                Layout!.Validate(parameters, shape);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"The module does not have the shape the growth schedule starts from ({shape}): {e.Message}",
                    "model", e);
            }
            return;
        }
        if (state.Module is not GrowableTransformer model) return;
        var expected = _next == 0 ? _initial : _stages[_next - 1].Config!;
        var actual = model.Config;
        if (ModelShape.From(actual) != ModelShape.From(expected) || actual.Architecture != expected.Architecture
            || actual.Mode != expected.Mode)
            throw new ArgumentException($"The model's shape ({Describe(actual)}) differs from the shape the growth schedule starts from " +
                $"({Describe(expected)}).", "model");
    }

    private static string Describe(TransformerConfig c) =>
        $"{c.Architecture} {c.Mode}, {c.Describe()} kv_heads={c.KvHeads} vocab={c.VocabSize} max_length={c.MaxLength} "
            + $"outputs={c.OutputSize}";

    /// <summary>Scheduled evaluations only: the dev evaluations around each growth do not count towards patience.</summary>
    private static bool Plateaued(TrainingState state, PlateauTrigger p)
    {
        var aroundGrowth = state.Growths.SelectMany(g => new[] { g.Before, g.After }).ToHashSet();
        var scheduled = state.History.Where(r => !aroundGrowth.Contains(r)).ToList();
        if (scheduled.Count <= p.Patience) return false;
        double reference = scheduled[^(p.Patience + 1)].DevLoss;
        double best = scheduled.TakeLast(p.Patience).Min(r => r.DevLoss);
        return best > reference * (1 - p.MinImprovement);
    }
}
