using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Core.Training;
using Bus.Growth.Operators;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Growth.Learned;

/// <summary>
/// What LiGO and MANGO share: validation, the <see cref="GrowableTransformer"/> conveniences and growth over named
/// tensors with a <see cref="FunctionalForward"/>; each operator supplies its trainable parameters and weight builder.
/// </summary>
public abstract class LearnedGrowthOperator : IGrowthOperator
{
    private protected LearnedGrowthOperator()
    {
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Seed override (null: the context's), Adam steps and learning rate, from the operator's options.</summary>
    private protected abstract (long? Seed, int Steps, double LearningRate) Training { get; }

    /// <summary>Declares the operator's trainable parameters and its differentiable builder of the grown weights.</summary>
    private protected abstract (IReadOnlyList<Parameter> Parameters, Func<Dictionary<string, Tensor>> Build) Setup(LearnedGrowthTraining.SetupInputs inputs);

    /// <inheritdoc />
    public void Validate(TransformerConfig source, TransformerConfig target)
    {
        GrowthValidation.RequireCompatible(source, target);
        LearnedGrowthTraining.Validate(ModelLayout.For(target), ModelShape.From(source), ModelShape.From(target));
    }

    /// <inheritdoc />
    public GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context) =>
        GrowWithReport(source, target, context).Model;

    /// <summary>
    /// Trains the operator, keeps the operator of the check with the lowest evaluation loss (so never one worse than its
    /// initialisation on that batch), materialises the grown model and reports the per-step task loss and the checks.
    /// </summary>
    /// <exception cref="InvalidOperationException">Steps &gt; 0 and the context lacks training data or an objective.</exception>
    public LearnedGrowthResult GrowWithReport(GrowableTransformer source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        Validate(source.Config, target);
        var (seed, steps, learningRate) = Training;
        return LearnedGrowthTraining.Grow(source, target, context, seed ?? context.Seed, steps, learningRate, Setup);
    }

    /// <summary>
    /// Grows <paramref name="weights"/> of any layout (shape <paramref name="from"/>) to <paramref name="to"/>, training
    /// the operator through <paramref name="forward"/> on the context's data and objective.
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
        var (seed, steps, learningRate) = Training;
        return LearnedGrowthTraining.Grow(weights, layout, from, to, forward, context, seed ?? context.Seed, steps, learningRate, chargeStep, Setup);
    }
}
