namespace Bus.Growth.Learned;

/// <summary>
/// What LiGO and MANGO share (a family base, not a second contract): validation, training of the operator on the task
/// loss through a forward pass over named weights, and the reports of that training; each operator supplies its trainable
/// parameters and weight builder. Through the <see cref="IGrowthOperator"/> contract the forward pass is
/// <see cref="GrowthContext.Forward"/> (filled in for a <see cref="GrowableTransformer"/> by <see cref="ModelGrowth"/>).
/// </summary>
public abstract class LearnedGrowthOperator : IGrowthOperator
{
    private protected LearnedGrowthOperator(string name, LearnedGrowthOptions options)
    {
        Name = name;
        Settings = options;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The operator's options (its training: seed override, Adam steps and learning rate).</summary>
    private protected LearnedGrowthOptions Settings { get; }

    /// <summary>
    /// Declares the operator's trainable parameters (through <see cref="LearnedGrowthTraining.SetupInputs.Learn"/>) and
    /// returns its differentiable builder of the grown weights.
    /// </summary>
    private protected abstract Func<Dictionary<string, Tensor>> Setup(LearnedGrowthTraining.SetupInputs inputs);

    /// <inheritdoc />
    public void Validate(ModelLayout layout, ModelShape from, ModelShape to) => LearnedGrowthTraining.Validate(layout, from, to);

    /// <summary>
    /// Trains the operator through <see cref="GrowthContext.Forward"/> and returns the materialised weights, as the overload
    /// taking a <see cref="FunctionalForward"/> does.
    /// </summary>
    /// <exception cref="InvalidOperationException">Steps &gt; 0 and the context lacks a forward pass, training data or an
    /// objective.</exception>
    public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        plan.RequireOperator(this);
        var (seed, steps, learningRate) = (Settings.Seed, Settings.Steps, Settings.LearningRate);
        FunctionalForward forward = context.Forward is { } f ? (w, x) => f(w, x)
            : steps == 0 ? (_, _) => throw new InvalidOperationException("unused")
            : throw new InvalidOperationException(
                $"Learned growth ({Name}) over named tensors needs GrowthContext.Forward, " +
                "the grown model's forward pass over named weights.");
        return LearnedGrowthTraining.Grow(plan, weights, forward, context, seed ?? context.Seed, steps, learningRate, context.ChargeStep,
            Setup).Weights;
    }

    /// <summary>
    /// Trains the operator, keeps the operator of the check with the lowest evaluation loss (so never one worse than its
    /// initialisation on that batch), materialises the grown model and reports the per-step task loss and the checks.
    /// Operator training is charged to the context's meter at the target's cost.
    /// </summary>
    /// <exception cref="ArgumentException">The configs cannot grow into each other.</exception>
    /// <exception cref="InvalidOperationException">Steps &gt; 0 and the context lacks training data or an objective.</exception>
    public LearnedGrowthResult GrowWithReport(GrowableTransformer source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        var plan = GrowthPlan.Create(this, source.Config, target);
        var transformer = ModelGrowth.ForTransformer(context, target);
        var (seed, steps, learningRate) = (Settings.Seed, Settings.Steps, Settings.LearningRate);
        var model = new GrowableTransformer(target, source.Device);
        try
        {
            using var scope = NewDisposeScope();
            var weights = source.CloneWeights();
            var grown = LearnedGrowthTraining.Grow(plan, weights, (w, x) => transformer.Forward!(w, x), transformer, seed ?? context.Seed,
                steps,
                learningRate, transformer.ChargeStep, Setup);
            model.LoadWeights(grown.Weights);
            return new LearnedGrowthResult(model, grown.StepLosses) { Evaluations = grown.Evaluations, KeptStep = grown.KeptStep };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Grows <paramref name="weights"/> of any layout (shape <paramref name="from"/>) to <paramref name="to"/>, training
    /// the operator through <paramref name="forward"/> on the context's data and objective, and reports the training.
    /// </summary>
    /// <param name="weights">The small model's parameters by name (left unchanged; no gradient reaches them).</param>
    /// <param name="layout">The family's parameter table.</param>
    /// <param name="from">The small model's sizes.</param>
    /// <param name="to">The grown model's sizes.</param>
    /// <param name="forward">The grown model's forward pass over named weights.</param>
    /// <param name="context">Seed, training data, objective and batch size.</param>
    /// <param name="chargeStep">
    /// Charges one operator-training step (e.g. to a budget meter), or with <see cref="StepCost.ForwardOnly"/> set one
    /// forward-only check of the operator on the evaluation batch (see <see cref="LearnedTensorGrowth.Evaluations"/>);
    /// null charges nothing.
    /// </param>
    /// <exception cref="ArgumentException">The weights do not fit the layout, or the shapes cannot grow into each other.</exception>
    /// <exception cref="InvalidOperationException">Steps &gt; 0 and the context lacks training data or an objective.</exception>
    public LearnedTensorGrowth Grow(IReadOnlyDictionary<string, Tensor> weights, ModelLayout layout, ModelShape from, ModelShape to,
        FunctionalForward forward, GrowthContext context, Action<StepCost>? chargeStep = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var plan = GrowthPlan.Create(this, layout, from, to);
        layout.Validate(weights, from);
        var (seed, steps, learningRate) = (Settings.Seed, Settings.Steps, Settings.LearningRate);
        return LearnedGrowthTraining.Grow(plan, weights, forward, context, seed ?? context.Seed, steps, learningRate, chargeStep, Setup);
    }
}
