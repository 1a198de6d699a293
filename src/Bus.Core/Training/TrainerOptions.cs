namespace Bus.Core.Training;

/// <summary>Options of one training run: an immutable record with validated defaults.</summary>
public sealed record TrainerOptions
{
    private readonly string _device = "cpu";
    private readonly int? _evalBatchSize;

    /// <summary>Examples per optimizer step.</summary>
    public int BatchSize { get; init => field = Guard.Positive(value, nameof(BatchSize)); } = 64;

    /// <summary>How much the run may spend; schedules are keyed to the fraction of it spent.</summary>
    public Budget Budget { get; init => field = value ?? throw new ArgumentNullException(nameof(Budget)); } = Budget.Epochs(1);

    /// <summary>Peak learning rate (the schedule multiplies it).</summary>
    public double LearningRate { get; init => field = Guard.Positive(value, nameof(LearningRate)); } = 1e-3;

    /// <summary>Decoupled weight decay passed to the optimizer factory.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegative(value, nameof(WeightDecay)); } = 0.01;

    /// <summary>Warm-up and decay, as a function of the budget fraction.</summary>
    public LearningRateSchedule Schedule { get; init => field = value ?? throw new ArgumentNullException(nameof(Schedule)); } = new();

    /// <summary>
    /// Micro-batches per optimizer step (gradient accumulation; default 1). The selected batch of <see cref="BatchSize"/>
    /// examples is split into this many micro-batches; each one's loss is weighted by its share of the batch's targets, so
    /// the accumulated gradient is the large batch's. Budgets and FLOPs are charged per example, as without accumulation.
    /// At most <see cref="BatchSize"/>.
    /// </summary>
    public int AccumulationSteps { get; init => field = Guard.Positive(value, nameof(AccumulationSteps)); } = 1;

    /// <summary>
    /// TorchSharp's intra-op CPU threads for the run (torch.set_num_threads), 1..<see cref="Environment.ProcessorCount"/>;
    /// null (default): leave TorchSharp's setting as it is. The setting is process-wide and stays after the run.
    /// </summary>
    public int? Threads { get; init => field = value is { } n ? Guard.InRange(n, 1, Environment.ProcessorCount, nameof(Threads)) : null; }

    /// <summary>Maximum global gradient norm; 0 disables clipping.</summary>
    public double GradientClip { get; init => field = Guard.NonNegative(value, nameof(GradientClip)); } = 1.0;

    /// <summary>Seed of every random choice (initialisation, shuffling, dropout, selection).</summary>
    public long Seed { get; init; }

    /// <summary>Device name: "cpu", "cuda", "cuda:N".</summary>
    public string Device
    {
        get => _device;
        init => _device = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("Device must be named, e.g. \"cpu\".", nameof(Device))
            : value;
    }

    /// <summary>Dev-set evaluations per epoch (at least 1; one also runs at the end of the budget).</summary>
    public int EvaluationsPerEpoch { get; init => field = Guard.Positive(value, nameof(EvaluationsPerEpoch)); } = 1;

    /// <summary>
    /// Evaluate the dev set each time the spent budget fraction crosses a multiple of this (e.g. 0.02: every 2% of the
    /// budget, whatever the epoch length), in addition to the end of the budget; null (default): <see cref="EvaluationsPerEpoch"/> decides.
    /// </summary>
    public double? EvaluateEveryFraction
    {
        get; init => field = value is { } f ? Guard.InRange(f, 0, 1, nameof(EvaluateEveryFraction), minExclusive: true) : null;
    }

    /// <summary>
    /// Evaluate the dev set every this many optimizer steps (at least 1), in addition to the end of the budget; null
    /// (default): <see cref="EvaluationsPerEpoch"/> decides. Cannot be combined with <see cref="EvaluateEveryFraction"/>
    /// (the trainer refuses both).
    /// </summary>
    public int? EvaluateEverySteps { get; init => field = value is { } n ? Guard.Positive(n, nameof(EvaluateEverySteps)) : null; }

    /// <summary>Early stopping on the dev set (null: none, the default); see <see cref="EarlyStoppingOptions"/>.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>Batch size for evaluation; defaults to 4 x <see cref="BatchSize"/>.</summary>
    public int EvalBatchSize
    {
        get => _evalBatchSize ?? 4 * BatchSize;
        init => _evalBatchSize = Guard.Positive(value, nameof(EvalBatchSize));
    }

    /// <summary>Cap on dev examples evaluated each time (null: all). Keeps frequent evaluation cheap.</summary>
    public int? MaxEvalExamples { get; init; }

    /// <summary>What to do when the training loss is NaN or infinite.</summary>
    public NonFiniteLossPolicy OnNonFiniteLoss { get; init; } = NonFiniteLossPolicy.Stop;

    /// <summary>Resumable checkpoints (null: none). With <see cref="Checkpoints.CheckpointOptions.Resume"/>, Fit continues from the last
    /// one.</summary>
    public Checkpoints.CheckpointOptions? Checkpoint { get; init; }

    /// <summary>Converts work to reference seconds; required for <see cref="BudgetUnit.ReferenceSeconds"/> budgets.</summary>
    public IStepCostModel? CostModel { get; init; }

    /// <summary>
    /// Format of the forward and backward passes: fp32 (default), or bf16 / fp16 on a low-precision compute copy of a
    /// <see cref="Model.GrowableTransformer"/> with fp32 master weights and optimizer state (fp16 with dynamic loss
    /// scaling, <see cref="DynamicLossScaler"/>). See docs/training.md, "Mixed precision".
    /// </summary>
    public Precision Precision { get; init => field = Guard.Defined(value, nameof(Precision)); } = Precision.Fp32;


    /// <summary>
    /// Activation recompute per residual block (<see cref="ActivationRecompute"/>): every <see cref="IRecomputedBlocks"/>
    /// inside the trained module keeps only its blocks' inputs and recomputes their activations in the backward pass
    /// (less memory, about one more forward pass of time; gradients unchanged bit for bit).
    /// </summary>
    public bool Recompute { get; init; }
}

/// <summary>What the trainer does when a step's loss is not finite.</summary>
public enum NonFiniteLossPolicy
{
    /// <summary>Stop the run with <see cref="NonFiniteLossException"/>; the model keeps its last good weights.</summary>
    Stop,
    /// <summary>Skip the step (no optimizer update) and go on; the skip is recorded.</summary>
    SkipStep,
}

/// <summary>Thrown when training meets a NaN or infinite loss under <see cref="NonFiniteLossPolicy.Stop"/>.</summary>
/// <param name="step">The step whose loss, gradients or updated weights were not finite.</param>
/// <param name="loss">The step's loss.</param>
/// <param name="message">What went wrong and which step the model and the last checkpoint hold (default: a non-finite loss).</param>
public sealed class NonFiniteLossException(long step, double loss, string? message = null)
    : Exception(message ?? $"Training loss is {loss} at step {step}; the model keeps the weights of step {step - 1}.")
{
    /// <summary>The step whose loss was not finite.</summary>
    public long Step { get; } = step;

    /// <summary>The offending loss value.</summary>
    public double Loss { get; } = loss;
}
