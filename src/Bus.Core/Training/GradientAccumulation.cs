namespace Bus.Core.Training;

/// <summary>
/// Forward and backward of one optimizer step's batch, in micro-batches (<see cref="TrainerOptions.AccumulationSteps"/>).
/// Each micro-batch's mean loss is weighted by its share of the batch's target elements (tokens for a per-token loss,
/// rows for pooled classification: every row of a batch has the same shape), so the accumulated gradient equals the
/// gradient of the whole batch's mean loss. Each micro-batch runs in its own dispose scope, so its activations are freed
/// before the next one: peak memory is that of one micro-batch.
/// </summary>
internal static class GradientAccumulation
{
    /// <summary>
    /// Zeroes the gradients, then runs forward, loss and backward over <paramref name="batch"/> split into
    /// <paramref name="microBatches"/> parts (fewer when the batch has fewer rows), in <paramref name="precision"/>'s
    /// format (fp32 masters receive the gradients). Returns the batch's loss (the weighted sum of the parts' losses) and
    /// in <paramref name="overflowed"/> whether fp16 gradients overflowed (the caller skips the step). At the first
    /// non-finite part loss it stops without back-propagating that part and returns a non-finite value; the caller
    /// rejects the step.
    /// </summary>
    public static double ForwardBackward(nn.Module<Tensor, Tensor> model, ITrainingObjective objective, optim.Optimizer optimizer,
        SelectedBatch batch, int microBatches, MixedPrecisionStep precision, out bool overflowed)
    {
        optimizer.zero_grad();
        precision.BeginBackward();
        overflowed = false;
        long rows = batch.Inputs.shape[0];
        int parts = (int)Math.Min(microBatches, rows);
        if (parts <= 1)
        {
            // One batch: exactly the trainer's step without accumulation (bit for bit).
            var loss = objective.Loss(precision.Forward(model, batch.Inputs), batch.Targets);
            double value = loss.item<float>();
            if (!double.IsFinite(value)) return value;
            precision.BackwardPart(loss);
            overflowed = !precision.FinishBackward();
            return value;
        }

        double total = batch.Targets.numel();
        var inputs = batch.Inputs.tensor_split(parts);
        var targets = batch.Targets.tensor_split(parts);
        double sum = 0;
        for (int i = 0; i < parts; i++)
        {
            using var scope = NewDisposeScope();
            double weight = targets[i].numel() / total;
            // A rooted scalar (ConstantScalars): an implicit double-to-Scalar temporary may be freed during the native call.
            var loss = objective.Loss(precision.Forward(model, inputs[i]), targets[i]).mul(ConstantScalars.Of(weight));
            double value = loss.item<float>();
            sum += value;
            if (!double.IsFinite(value)) return sum;
            precision.BackwardPart(loss);
        }

        overflowed = !precision.FinishBackward();
        return sum;
    }
}
