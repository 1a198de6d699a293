using Bus.Core.Scalars;

namespace Bus.Growth.Learned;

/// <summary>
/// The loop shared by LiGO and MANGO: the small weights are frozen; the operator parameters are trained with
/// Adam on the task loss of the grown model, whose weights are built differentiably from them and run through the
/// caller's <see cref="FunctionalForward"/>; then the weights are built once more without gradient ("materialised").
/// Which axis of which tensor is what comes from the <see cref="ModelLayout"/> only.
/// </summary>
internal static class LearnedGrowthTraining
{
    /// <summary>
    /// What an operator's set-up sees: frozen small weights, the layout, both shapes, the Net2Net unit mappings of every
    /// axis (<see cref="WidthPlan"/>, drawn from the seed), the device and a seeded random source.
    /// </summary>
    internal sealed record SetupInputs(IReadOnlyDictionary<string, Tensor> Weights, ModelLayout Layout, ModelShape From, ModelShape To,
        WidthPlan Plan, Device Device, Random Random)
    {
        /// <summary>The operator's trainable parameters, in the order <see cref="Learn"/> made them.</summary>
        public List<Parameter> Trainable { get; } = [];

        /// <summary>A trainable operator parameter initialised to <paramref name="init"/>, on the weights' device.</summary>
        public Parameter Learn(Tensor init)
        {
            var p = new Parameter(init.to(Device), requires_grad: true);
            Trainable.Add(p);
            return p;
        }
    }

    /// <summary>The checks both learned operators make beyond the plan's: width growth must be possible as for <c>fpi-width</c> (depth may
    /// grow too).</summary>
    public static void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        WidthExpansion.Validate(layout, from, to with { Layers = from.Layers });
    }

    /// <summary>
    /// Lets the operator declare its trainable parameters and differentiable weight builder for the validated
    /// <paramref name="plan"/> (weights already checked against its layout), trains them for <paramref name="steps"/> Adam
    /// steps on the task loss of <paramref name="forward"/>, and materialises the weights.
    /// </summary>
    public static LearnedTensorGrowth Grow(
        GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, FunctionalForward forward,
        GrowthContext context, long seed, int steps, double learningRate, Action<StepCost>? chargeStep,
        Func<SetupInputs, Func<Dictionary<string, Tensor>>> setup)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(context);
        var (layout, from, to) = (plan.Layout, plan.From, plan.To);
        using var scope = NewDisposeScope();
        var frozen = weights.ToDictionary(p => p.Key, p => p.Value.detach());   // the small weights receive no gradient
        var device = frozen.Values.First().device;
        var width = WidthPlan.Draw(from, to, UnitMapping.Random, seed);
        var inputs = new SetupInputs(frozen, layout, from, to, width, device, new Random(unchecked((int)seed)));
        var build = setup(inputs);
        var outcome = Train(inputs.Trainable, build, forward, context, to.Layers, steps, learningRate, seed, device, chargeStep);
        // Materialise: build the big weights once more, without gradient, as tensors that outlive this scope.
        using var noGrad = no_grad();
        var big = build().ToDictionary(p => p.Key, p => p.Value.detach().clone().MoveToOuterDisposeScope());
        return new LearnedTensorGrowth(big, outcome.StepLosses) { Evaluations = outcome.Evaluations, KeptStep = outcome.KeptStep };
    }

    /// <summary>The most evaluation checks after the initial one: every ceil(steps / Checks) steps and after the last step.</summary>
    internal const int Checks = 10;

    /// <summary>The step losses and checks of one operator training.</summary>
    private sealed record Outcome(List<double> StepLosses, List<OperatorEvaluation> Evaluations, int KeptStep);

    // Adam on the operator parameters over seeded random batches. The operator is scored on one fixed, seeded evaluation
    // batch at its initialisation and every ceil(steps / Checks) steps (and after the last step); the parameters with the lowest
    // score are put back at the end, so training never ends above its own initialisation on that batch, whatever the
    // rounding of the CPU's kernels. Each check is charged as a forward-only pass.
    private static Outcome Train(
        IReadOnlyList<Parameter> operatorParameters, Func<Dictionary<string, Tensor>> buildWeights, FunctionalForward forward,
        GrowthContext context, int layers, int steps, double learningRate, long seed, Device device, Action<StepCost>? chargeStep)
    {
        var losses = new List<double>(steps);
        var evaluations = new List<OperatorEvaluation>();
        if (steps == 0) return new Outcome(losses, evaluations, 0);
        var data = context.TrainingData
            ?? throw new InvalidOperationException("Learned growth needs GrowthContext.TrainingData to train the operator.");
        var objective = context.Objective
            ?? throw new InvalidOperationException("Learned growth needs GrowthContext.Objective to train the operator.");
        if (context.BatchSize <= 0)
            throw new InvalidOperationException($"Learned growth needs a positive GrowthContext.BatchSize, got {context.BatchSize}.");
        // Adam is AdamW without weight decay; the factory's AdamW holds its step's scalars alive (StepScalars), where
        // TorchSharp's stock optimizers pass temporaries that a concurrent garbage collection can free mid-call.
        using var optimizer = new AdamWFactory().Create(operatorParameters, learningRate, weightDecay: 0);
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        int batch = Math.Min(context.BatchSize, data.Count);
        var cost = new StepCost(batch, data.SequenceLength, layers, ForwardOnly: false, Optimizer: "adam");
        var (evalX, evalY) = EvaluationBatch(data, batch, seed, device);
        var best = operatorParameters.Select(p => p.detach().clone()).ToArray();
        int kept = 0, every = (steps + Checks - 1) / Checks;
        double Evaluate()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            double loss = objective.Loss(forward(buildWeights(), evalX), evalY).item<float>();
            chargeStep?.Invoke(cost with { ForwardOnly = true, Optimizer = null });
            return loss;
        }

        evaluations.Add(new OperatorEvaluation(0, Evaluate()));
        double lowest = evaluations[0].Loss;
        for (int step = 0; step < steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                var indices = Enumerable.Range(0, batch).Select(_ => (long)random.Next(data.Count)).ToArray();
                using var index = tensor(indices, int64);
                var (x, y) = data.Batch(index);
                optimizer.zero_grad();
                var loss = objective.Loss(forward(buildWeights(), x.to(device)), y.to(device));
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
                chargeStep?.Invoke(cost);
            }
            if ((step + 1) % every != 0 && step + 1 != steps) continue;
            evaluations.Add(new OperatorEvaluation(step + 1, Evaluate()));
            if (!(evaluations[^1].Loss < lowest)) continue;
            lowest = evaluations[^1].Loss;
            kept = step + 1;
            Copy(operatorParameters, best);
        }
        if (kept != steps) Copy(best, operatorParameters);
        return new Outcome(losses, evaluations, kept);
    }

    // The evaluation batch: the first `batch` rows of a seeded permutation (its own random stream, so the training
    // batches are the same with or without the checks).
    private static (Tensor X, Tensor Y) EvaluationBatch(SequenceDataset data, int batch, long seed, Device device)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32) ^ 0x5EED));
        var order = Enumerable.Range(0, data.Count).Select(i => (long)i).ToArray();
        random.Shuffle(order);
        using var index = tensor(order[..batch], int64);
        var (x, y) = data.Batch(index);
        return (x.to(device), y.to(device));
    }

    private static void Copy(IReadOnlyList<Tensor> from, IReadOnlyList<Tensor> to)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < from.Count; i++) to[i].copy_(from[i]);
    }

    /// <summary>The [big, small] matrix of a unit mapping: M[j, g(j)] = factor(j) (copy 1, split 1/count, query rescale).</summary>
    public static Tensor Matrix(AxisMap map, int small)
    {
        var data = new float[map.Length * small];
        for (int j = 0; j < map.Length; j++) data[j * small + map.Source[j]] = (float)map.Scale[j];
        return tensor(data, [map.Length, small], float32);
    }

    /// <summary>The module a parameter belongs to: its pattern up to the last dot (<c>blocks.{i}.attn.q</c> for
    /// <c>blocks.{i}.attn.q.weight</c>).</summary>
    public static string Module(ParameterRule rule)
    {
        int dot = rule.Pattern.LastIndexOf('.');
        return dot < 0 ? rule.Pattern : rule.Pattern[..dot];
    }

    /// <summary>Every per-block parameter of <paramref name="rule"/> stacked over layers: [L, ...].</summary>
    public static Tensor StackLayers(IReadOnlyDictionary<string, Tensor> weights, ParameterRule rule, int layers) =>
        stack(Enumerable.Range(0, layers).Select(l => weights[rule.Name(l)]).ToArray());
}
