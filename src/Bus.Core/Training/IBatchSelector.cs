namespace Bus.Core.Training;

/// <summary>A batch of candidate examples drawn from the training set.</summary>
/// <param name="Inputs">Model inputs [n, ...] (token ids [n, T] for sequence data), on the training device.</param>
/// <param name="Targets">Targets [n, ...], on the training device.</param>
/// <param name="ExampleIndices">int64 [n] on the CPU: each example's index in the training data (a row, or a stream window's offset; for
/// per-example caches).</param>
public sealed record CandidateBatch(Tensor Inputs, Tensor Targets, Tensor ExampleIndices);

/// <summary>What a selector hands the trainer: the examples to back-propagate and the forward work it spent.</summary>
/// <param name="Inputs">Model inputs [b, ...].</param>
/// <param name="Targets">Targets [b, ...].</param>
/// <param name="ForwardOnlyExamples">Examples scored with forward-only passes for this selection (charged to the budget).</param>
public sealed record SelectedBatch(Tensor Inputs, Tensor Targets, long ForwardOnlyExamples);

/// <summary>Everything a selector may look at when scoring candidates.</summary>
/// <param name="Model">The current model, any module (score with it in no-grad mode).</param>
/// <param name="Objective">The task's loss (use <see cref="ITrainingObjective.PerExampleLoss"/>).</param>
/// <param name="BatchSize">Examples the trainer back-propagates per step.</param>
/// <param name="Step">Optimizer steps taken so far.</param>
/// <param name="Epoch">Current epoch (0-based).</param>
/// <param name="Random">The run's seeded random source (use it for every random choice).</param>
public sealed record SelectionContext(nn.Module<Tensor, Tensor> Model, ITrainingObjective Objective, int BatchSize, long Step, int Epoch,
    Random Random);

/// <summary>
/// Chooses which examples a training step back-propagates (uniform, RHO-LOSS, selective backprop). The
/// trainer draws <see cref="CandidateCount"/> examples in shuffled order and asks the selector for a batch.
/// </summary>
public interface IBatchSelector
{
    /// <summary>Name used in reports and DI keys.</summary>
    string Name { get; }

    /// <summary>Candidates to draw for a step that back-propagates <paramref name="batchSize"/> examples (n_B for n_b).</summary>
    int CandidateCount(int batchSize);

    /// <summary>Checks, before training starts, that the selector fits this training set (e.g. a loss cache's size and
    /// fingerprint).</summary>
    void Prepare(Data.ITrainingData train, ITrainingObjective objective);

    /// <summary>
    /// Returns the batch to back-propagate, or null when the selector needs more candidates first (e.g. a
    /// selective-backprop queue that is not yet full). Returned tensors are owned by the caller.
    /// </summary>
    SelectedBatch? Select(CandidateBatch candidates, SelectionContext context);
}
