namespace Bus.MLNet;

/// <summary>
/// The one options shape of Bus outside the CLI: the model's shape (<see cref="Model"/>, Bus.Core's
/// <see cref="TransformerConfig"/>), the growth plan (train at <see cref="StartDModel"/> x <see cref="StartLayers"/>,
/// grow to the model's d_model x layers after <see cref="GrowthEpoch"/> epochs with <see cref="GrowthOperator"/>) and
/// the training run. The ML.NET trainers take it directly; dependency injection binds it from configuration
/// (<c>DependencyInjection.BusOptions</c>, section "Bus", flat keys such as <c>Bus:DModel</c>).
/// An immutable record; every property validates its value when set and <see cref="Validate"/> checks the rules
/// that involve several properties.
/// </summary>
public sealed record BusTrainerOptions
{
    /// <summary>Largest number of classes (sequence classification) the saved model format supports.</summary>
    public const int MaxClasses = 1024;

    /// <summary>Largest <see cref="TransformerConfig.MaxLength"/> the saved model format supports.</summary>
    public const int MaxSupportedLength = 1024;

    /// <summary>
    /// The default <see cref="Model"/>: 32 characters per example, d_model 32, 2 heads, d_ff 64, 1 layer, no dropout.
    /// </summary>
    // Declared before Defaults: static initializers run in order, and Defaults reads it.
    public static TransformerConfig DefaultModel { get; } = new() { MaxLength = 32, DModel = 32, Heads = 2, FeedForwardSize = 64 };

    /// <summary>The defaults (every property at its documented default).</summary>
    public static BusTrainerOptions Defaults { get; } = new();

    /// <summary>
    /// The model the run ends with (<see cref="DefaultModel"/> by default): its d_model, heads, d_ff, layers, dropout,
    /// architecture and <see cref="TransformerConfig.MaxLength"/>, the characters per example (longer texts are
    /// truncated, shorter ones padded with spaces; at most <see cref="MaxSupportedLength"/>). The trainers set the
    /// vocabulary (27 symbols), the encoder mode and the classes from the data. Heads must divide d_model (and
    /// <see cref="StartDModel"/>). Start from the default: <c>Model = BusTrainerOptions.DefaultModel with { DModel = 64 }</c>.
    /// </summary>
    public TransformerConfig Model
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Model));
            Guard.InRange(value.MaxLength, 1, MaxSupportedLength, nameof(TransformerConfig.MaxLength));
            field = value;
        }
    } = DefaultModel;

    /// <summary>d_model to start training at before growing; null (default) trains at the model's d_model without growth.</summary>
    public int? StartDModel { get; init => field = Optional(value, nameof(StartDModel)); }

    /// <summary>d_ff of the small model; null keeps the model's ratio d_ff / d_model.</summary>
    public int? StartFeedForwardSize { get; init => field = Optional(value, nameof(StartFeedForwardSize)); }

    /// <summary>
    /// Attention heads of the small model; null (default) starts with the model's heads. Width growth that must keep
    /// head_dim (e.g. "hypercloning") sets it so that StartDModel / StartHeads = DModel / Heads
    /// (e.g. StartDModel 16 with StartHeads 2, DModel 32 with Heads 4). Must divide <see cref="StartDModel"/> and not
    /// exceed the model's heads.
    /// </summary>
    public int? StartHeads { get; init => field = Optional(value, nameof(StartHeads)); }

    /// <summary>
    /// Transformer blocks of the small model (depth growth, e.g. "stack-depth"); null (default) starts at the model's
    /// layers.
    /// </summary>
    public int? StartLayers { get; init => field = Optional(value, nameof(StartLayers)); }

    /// <summary>
    /// Sequence classification read-out (Bus.Core's <see cref="SequencePooling"/>); every mode trains through Bus.Core's
    /// <c>Trainer</c>. Default <see cref="SequencePooling.Mean"/>: mean of the per-token logits over the text's characters
    /// (padding excluded), one cross-entropy per row (<see cref="SequenceClassificationObjective"/>); it learns labels that
    /// depend on where something occurs. <see cref="SequencePooling.First"/>: the first token's logits (CLS-style), one
    /// cross-entropy per row. <see cref="SequencePooling.PerToken"/>: the original head, every position (padding included)
    /// trained on the row's label (<see cref="SequenceObjective.TokenClassification"/>), prediction from the mean over all
    /// <see cref="TransformerConfig.MaxLength"/> positions; saved models without a pooling field use it. Ignored by the
    /// per-character trainer.
    /// </summary>
    public SequencePooling Pooling { get; init => field = Guard.Defined(value, nameof(Pooling)); } = SequencePooling.Mean;

    /// <summary>Maximum global gradient norm; 0 disables clipping. Default 1.</summary>
    public double GradientClip { get; init => field = Guard.NonNegative(value, nameof(GradientClip)); } = 1.0;

    /// <summary>
    /// Fraction of training spent warming the learning rate up linearly from 0, in [0, 1); then linear decay to 0. Default
    /// 0.05.
    /// </summary>
    public double WarmupFraction { get; init => field = Guard.InRange(value, 0, 1, nameof(WarmupFraction), maxExclusive: true); } = 0.05;

    /// <summary>
    /// Decay of the learning rate after warm-up: <see cref="DecayShape.Linear"/> (default), <see cref="DecayShape.Cosine"/>,
    /// <see cref="DecayShape.WarmupStableDecay"/> (the peak until the last <see cref="DecayFraction"/>, then linear to 0) or
    /// <see cref="DecayShape.Constant"/> (<c>TrainerOptions.Schedule</c>).
    /// </summary>
    public DecayShape Schedule { get; init => field = Guard.Defined(value, nameof(Schedule)); } = DecayShape.Linear;

    /// <summary>
    /// <see cref="DecayShape.WarmupStableDecay"/> only: the final fraction of training that decays, in (0, 1]. Default 0.2.
    /// </summary>
    public double DecayFraction
    {
        get;
        init => field = Guard.InRange(value, 0, 1, nameof(DecayFraction), minExclusive: true);
    } = LearningRateSchedule.DefaultDecayFraction;

    /// <summary>
    /// Micro-batches per optimizer step (gradient accumulation, <c>TrainerOptions.AccumulationSteps</c>): the step equals the
    /// <see cref="BatchSize"/> step with the activation memory of one micro-batch; positive, at most the batch (a batch
    /// shrunk to a small training set keeps at most one micro-batch per example). Default 1.
    /// </summary>
    public int AccumulationSteps { get; init => field = Guard.Positive(value, nameof(AccumulationSteps)); } = 1;

    /// <summary>
    /// TorchSharp's CPU threads while training (<c>TrainerOptions.Threads</c>: torch.set_num_threads, process-wide),
    /// 1..the processor count; null (default): TorchSharp's setting.
    /// </summary>
    public int? Threads { get; init => field = value is { } n ? Guard.InRange(n, 1, Environment.ProcessorCount, nameof(Threads)) : null; }

    /// <summary>Dev-set evaluations (history records and progress log lines) per epoch, positive. Default 1.</summary>
    public int EvaluationsPerEpoch { get; init => field = Guard.Positive(value, nameof(EvaluationsPerEpoch)); } = 1;

    /// <summary>Epochs trained at the small size before growing (may be fractional). Default 1.</summary>
    public double GrowthEpoch { get; init => field = Guard.Positive(value, nameof(GrowthEpoch)); } = 1;

    /// <summary>Name of the growth operator (see <c>IBusComponents</c>). Default "bus-identity".</summary>
    public string GrowthOperator { get; init => field = Named(value, nameof(GrowthOperator)); } = "bus-identity";

    /// <summary>Total training epochs (growth included). Default 3.</summary>
    public double Epochs { get; init => field = Guard.Positive(value, nameof(Epochs)); } = 3;

    /// <summary>Examples per step; reduced to the training-set size when that is smaller. Default 32.</summary>
    public int BatchSize { get; init => field = Guard.Positive(value, nameof(BatchSize)); } = 32;

    /// <summary>
    /// Peak learning rate, AdamW-scale (linear warm-up for <see cref="WarmupFraction"/>, linear decay to 0). Default 3e-3.
    /// The optimizer factory turns it into its own peak once (AdamW: this rate; "lion": this rate / 3); see <see cref="Optimizer"/>.
    /// </summary>
    public double LearningRate { get; init => field = Guard.Positive(value, nameof(LearningRate)); } = 3e-3;

    /// <summary>Decoupled weight decay. Default 0.01.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegative(value, nameof(WeightDecay)); } = 0.01;

    /// <summary>
    /// Name of the optimizer factory ("adamw", "lion", ...). Default "adamw". <see cref="LearningRate"/> and
    /// <see cref="WeightDecay"/> are AdamW-scale: "lion" trains at a peak of the learning rate / 3 (times the
    /// warm-up/decay schedule at each step) and the weight decay x 10, in every estimator and pooling mode
    /// (Bus.Optimizers' <c>LionFactory</c> divides once; register your own factory to choose Lion's values directly).
    /// </summary>
    public string Optimizer { get; init => field = Named(value, nameof(Optimizer)); } = "adamw";

    /// <summary>
    /// Name of a batch selector; null (default) uses uniform shuffled batches. Selectors score each row's loss under the
    /// training objective, so they work with every <see cref="Pooling"/> mode.
    /// </summary>
    public string? Selector { get; init => field = value is null ? null : Named(value, nameof(Selector)); }

    /// <summary>Seed of initialisation, shuffling and the validation split. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// TorchSharp device name ("cpu", "cuda", "cuda:N"). Default "cpu". "cuda" needs a CUDA libtorch package
    /// (e.g. TorchSharp-cuda-linux) in the app; the trainers check this before training.
    /// </summary>
    public string Device { get; init => field = Named(value, nameof(Device)); } = "cpu";

    /// <summary>
    /// Compute format of the forward and backward passes (<see cref="TrainerOptions.Precision"/>): Fp32 (default), Bf16 or
    /// Fp16, on a low-precision compute copy with fp32 master weights and optimizer state (fp16 with dynamic loss scaling).
    /// </summary>
    public Precision Precision { get; init => field = Guard.Defined(value, nameof(Precision)); } = Precision.Fp32;

    /// <summary>Activation recompute per block (<see cref="TrainerOptions.Recompute"/>): less memory, more time. Default false.</summary>
    public bool Recompute { get; init; }

    /// <summary>Fraction of the rows held out (seeded shuffle) for the trainer's dev evaluations, in (0, 0.5]. Default 0.1.</summary>
    public double ValidationFraction
    {
        get;
        init => field = Guard.InRange(value, 0, 0.5, nameof(ValidationFraction), minExclusive: true);
    } = 0.1;

    /// <summary>True when the run starts small (narrower, shallower or both) and grows.</summary>
    public bool Grows => StartDModel is not null || StartLayers is not null || StartHeads is not null;

    /// <summary>Attention heads of the starting model: <see cref="StartHeads"/>, else the model's heads.</summary>
    public int EffectiveStartHeads => StartHeads ?? Model.Heads;

    /// <summary>d_ff of the starting model.</summary>
    public int EffectiveStartFeedForwardSize =>
        StartFeedForwardSize ?? Math.Max(1, (int)Math.Round((double)Model.FeedForwardSize * (StartDModel ?? Model.DModel) / Model.DModel));

    /// <summary>Checks the rules that involve several properties; returns this for chaining.</summary>
    /// <exception cref="ArgumentException">
    /// Heads (or StartHeads) do not divide a width, the start is larger than the target, or growth is not before the end.
    /// </exception>
    public BusTrainerOptions Validate()
    {
        var (dModel, heads, layers, ff) = (Model.DModel, Model.Heads, Model.Layers, Model.FeedForwardSize);
        Model.Validate();
        if (StartLayers is int startLayers && startLayers > layers)
            throw new ArgumentOutOfRangeException(nameof(StartLayers), startLayers,
                $"StartLayers ({startLayers}) must not exceed Layers ({layers}).");
        if (Grows && GrowthEpoch >= Epochs)
            throw new ArgumentOutOfRangeException(nameof(GrowthEpoch), GrowthEpoch,
                $"GrowthEpoch ({GrowthEpoch}) must be before the end of training (Epochs = {Epochs}).");
        if (StartDModel is int start)
        {
            if (start > dModel)
                throw new ArgumentOutOfRangeException(nameof(StartDModel), start,
                    $"StartDModel ({start}) must not exceed DModel ({dModel}).");
            if (StartHeads is null && start % heads != 0)
                throw new ArgumentException($"Heads ({heads}) must divide StartDModel ({start}); set StartHeads to give the small "
                    + "model its own head count.", nameof(StartDModel));
        }
        if (StartHeads is int startHeads)
        {
            if (startHeads > heads)
                throw new ArgumentOutOfRangeException(nameof(StartHeads), startHeads,
                    $"StartHeads ({startHeads}) must not exceed Heads ({heads}).");
            int startWidth = StartDModel ?? dModel;
            if (startWidth % startHeads != 0)
                throw new ArgumentException(
                    $"StartHeads ({startHeads}) must divide {(StartDModel is null ? "DModel" : "StartDModel")} ({startWidth}).",
                        nameof(StartHeads));
        }
        if (AccumulationSteps > BatchSize)
            throw new ArgumentOutOfRangeException(nameof(AccumulationSteps), AccumulationSteps,
                $"AccumulationSteps ({AccumulationSteps}) must not exceed BatchSize ({BatchSize}).");
        if (EffectiveStartFeedForwardSize > ff)
            throw new ArgumentOutOfRangeException(nameof(StartFeedForwardSize), EffectiveStartFeedForwardSize,
                $"StartFeedForwardSize ({EffectiveStartFeedForwardSize}) must not exceed FeedForwardSize ({ff}).");
        return this;
    }

    private static int? Optional(int? value, string name) => value is null ? null : Guard.Positive(value.Value, name);

    private static string Named(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} must be a non-empty name; got '{value}'.", name) : value;
}
