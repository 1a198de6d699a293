namespace Bus.Core.Growth;

/// <summary>
/// The one growth contract: maps the named parameters of a trained small model to those of a larger one (width and/or
/// depth), for any model whose parameters a <see cref="ModelLayout"/> describes. Implementations live in Bus.Growth:
/// BUS identity expansion, Net2Net/bert2BERT, HyperCloning, stacking, MSG, MIDAS, LiGO, MANGO, spectral growth.
/// A growth is checked once, when its <see cref="GrowthPlan"/> is made (<see
/// cref="GrowthPlan.Create(IGrowthOperator, ModelLayout, ModelShape, ModelShape)"/>
/// calls <see cref="Validate"/>); <see cref="Grow"/> and <see cref="MapMoments"/> receive that plan and do not check
/// the shapes again. Call them through the plan (<see cref="GrowthPlan.Grow"/>, <see cref="GrowthPlan.MapMoments"/>),
/// which also checks the tensors against the layout.
/// </summary>
public interface IGrowthOperator
{
    /// <summary>Name used in reports and DI keys, e.g. "bus-identity".</summary>
    string Name { get; }

    /// <summary>
    /// The operator's own rules for growing a <paramref name="from"/>-shaped model of <paramref name="layout"/> to
    /// <paramref name="to"/> (e.g. depth unchanged, a whole factor); throws <see cref="ArgumentException"/> naming the size
    /// otherwise. The rules every operator shares (same vocabulary, positions and outputs, nothing shrinks) are the plan's.
    /// </summary>
    void Validate(ModelLayout layout, ModelShape from, ModelShape to);

    /// <summary>
    /// The grown parameters, by the layout's names, for a model of shape <see cref="GrowthPlan.To"/>; <paramref name="weights"/>
    /// (shape <see cref="GrowthPlan.From"/>, checked by the plan) are left unchanged. The caller disposes the returned tensors.
    /// </summary>
    /// <param name="plan">The validated growth; made for this operator.</param>
    /// <param name="weights">The small model's parameters by name.</param>
    /// <param name="context">Seed (and, for learned operators, data, objective and a forward pass).</param>
    Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context);

    /// <summary>True when <see cref="MapMoments"/> maps optimizer moments (operators linear in the weights); false by default.</summary>
    bool MapsMoments => false;

    /// <summary>
    /// The grown model's optimizer moments of <paramref name="kind"/>, by name, from the small model's, in one pass: parameters
    /// with no small counterpart (new blocks) are absent and keep a fresh optimizer state. The caller disposes the returned tensors.
    /// The default throws <see cref="NotSupportedException"/> (see <see cref="MapsMoments"/>).
    /// </summary>
    /// <param name="plan">The validated growth; made for this operator.</param>
    /// <param name="moments">The small model's moments of <paramref name="kind"/>, by parameter name.</param>
    /// <param name="kind">Which moment the tensors hold.</param>
    /// <param name="context">The context <see cref="Grow"/> was called with (same seed, same unit mapping).</param>
    Dictionary<string, Tensor> MapMoments(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> moments, MomentKind kind,
        GrowthContext context) =>
        throw new NotSupportedException($"Growth operator '{Name}' cannot map optimizer moments.");
}

/// <summary>What a growth operator may use: a seed, and for learned operators (LiGO, MANGO) task data and a budget meter to
/// charge.</summary>
/// <param name="Seed">Seed for any random choice (noise, unit mappings).</param>
/// <param name="TrainingData">Training set, for operators that train on the task loss.</param>
/// <param name="Objective">Task loss, for operators that train on it.</param>
/// <param name="BatchSize">Batch size for operator training.</param>
/// <param name="Meter">Budget meter to charge operator training to (null: not charged).</param>
public sealed record GrowthContext(long Seed, SequenceDataset? TrainingData = null, ITrainingObjective? Objective = null,
    int BatchSize = 64, BudgetMeter? Meter = null)
{
    /// <summary>
    /// The grown model's forward pass as a function of its named weights, for operators that train on the task loss
    /// (LiGO, MANGO); null when none is known. The <see cref="GrowableTransformer"/> conveniences fill it in.
    /// </summary>
    public Func<IReadOnlyDictionary<string, Tensor>, Tensor, Tensor>? Forward { get; init; }

    /// <summary>
    /// Charges one step of operator training (or, with <see cref="StepCost.ForwardOnly"/>, one forward-only check) to the
    /// run's budget; null charges nothing. The <see cref="GrowableTransformer"/> conveniences charge <see cref="Meter"/>.
    /// </summary>
    public Action<StepCost>? ChargeStep { get; init; }
}
