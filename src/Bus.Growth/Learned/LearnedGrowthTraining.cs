using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Growth.Learned;

/// <summary>
/// The loop shared by LiGO and MANGO: the small weights are frozen; the operator parameters are trained with
/// Adam on the task loss of the grown model, whose weights are built differentiably from them and run through
/// <see cref="FunctionalTransformer"/>; then the weights are built once more without gradient and loaded into a
/// plain <see cref="GrowableTransformer"/> ("materialised").
/// </summary>
internal static class LearnedGrowthTraining
{
    /// <summary>What an operator's set-up sees: both shapes, frozen small weights, the unit mappings g_d and g_ff, the device and the seeded random source.</summary>
    internal sealed record SetupInputs(TransformerConfig Small, TransformerConfig Target, Dictionary<string, Tensor> Weights, int[] Gd, int[] Gf, Device Device, Random Random);

    /// <summary>
    /// The set-up both learned operators share: create the grown model (outside any dispose scope, so its parameters
    /// outlive the call), draw the Net2Net unit mappings for d_model and d_ff from the seed, let the operator declare
    /// its trainable parameters and its differentiable weight builder, then <see cref="Run"/>.
    /// </summary>
    public static LearnedGrowthResult Grow(
        GrowableTransformer source,
        TransformerConfig target,
        GrowthContext context,
        long seed,
        int steps,
        double learningRate,
        Func<SetupInputs, (IReadOnlyList<Parameter> Parameters, Func<Dictionary<string, Tensor>> Build)> setup)
    {
        var model = new GrowableTransformer(target, source.Device);
        try
        {
            using var scope = NewDisposeScope();
            var small = source.Config;
            var random = new Random(unchecked((int)seed));
            int[] gd = WidthMapping.Create(small.DModel, target.DModel, random);
            int[] gf = WidthMapping.Create(small.DFf, target.DFf, random);
            var (parameters, build) = setup(new SetupInputs(small, target, source.CloneWeights(), gd, gf, source.Device, random));
            return Run(model, parameters, build, target, context, steps, learningRate, seed);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static LearnedGrowthResult Run(
        GrowableTransformer model,
        IReadOnlyList<Parameter> operatorParameters,
        Func<Dictionary<string, Tensor>> buildWeights,
        TransformerConfig target,
        GrowthContext context,
        int steps,
        double learningRate,
        long seed)
    {
        var losses = new List<double>(steps);
        if (steps > 0)
        {
            var data = context.TrainingData ?? throw new InvalidOperationException("Learned growth needs GrowthContext.TrainingData to train the operator.");
            var objective = context.Objective ?? throw new InvalidOperationException("Learned growth needs GrowthContext.Objective to train the operator.");
            if (context.BatchSize <= 0)
                throw new InvalidOperationException($"Learned growth needs a positive GrowthContext.BatchSize, got {context.BatchSize}.");
            using var optimizer = optim.Adam(operatorParameters, learningRate);
            var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
            int batch = Math.Min(context.BatchSize, data.Count);
            var cost = new StepCost(batch, data.SequenceLength, target.Layers, ForwardOnly: false, Optimizer: "adam");
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                var indices = Enumerable.Range(0, batch).Select(_ => (long)random.Next(data.Count)).ToArray();
                using var index = tensor(indices, int64);
                var (x, y) = data.Batch(index);
                optimizer.zero_grad();
                var weights = buildWeights();
                var loss = objective.Loss(FunctionalTransformer.Forward(weights, target, x.to(model.Device)), y.to(model.Device));
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
                context.Meter?.ChargeStep(cost, target);
            }
        }
        // Materialise: build the big weights once more, without gradient, into the plain model made by the caller
        // (outside any dispose scope, so its parameters survive).
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
            model.LoadWeights(buildWeights());
        return new LearnedGrowthResult(model, losses);
    }
}
