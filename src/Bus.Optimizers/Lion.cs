using TorchSharp;
using static TorchSharp.torch.optim;

namespace Bus.Optimizers;

/// <summary>
/// Lion ("EvoLved Sign Momentum", Chen et al. 2023, Alg. 2) as a TorchSharp optimizer: the same
/// base, param groups, learning-rate mechanism (<see cref="torch.optim.lr_scheduler"/> works
/// unchanged) and state_dict / save / load conventions as TorchSharp's <c>AdamW</c>.
/// </summary>
/// <remarks>
/// Per parameter, with gradient g and momentum m (the only state tensor, <c>exp_avg</c>):
/// <code>
/// c = beta1 * m + (1 - beta1) * g
/// w = w - lr * (sign(c) + weight_decay * w)     // decay uses the pre-update w; sign(0) = 0
/// m = beta2 * m + (1 - beta2) * g
/// </code>
/// Parameters whose gradient is null are skipped (their momentum is left unchanged).
/// </remarks>
public sealed class Lion : GroupedOptimizer<Lion.Options>, IBetas
{
    /// <summary>Creates Lion over one group of parameters.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate, finite and &gt;= 0 (default 1e-4).</param>
    /// <param name="beta1">Interpolation coefficient of the update direction, in [0, 1) (default 0.9).</param>
    /// <param name="beta2">Decay of the momentum state, in [0, 1) (default 0.99).</param>
    /// <param name="weight_decay">Decoupled weight decay, finite and &gt;= 0 (default 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range or NaN.</exception>
    public Lion(IEnumerable<Parameter> parameters, double lr = 1e-4, double beta1 = 0.9, double beta2 = 0.99, double weight_decay = 0)
        : this(new[] { new ParamGroup { Parameters = parameters } }, lr, beta1, beta2, weight_decay)
    {
    }

    /// <summary>Creates Lion over several parameter groups; options a group leaves unset take these defaults.</summary>
    /// <param name="parameters">The parameter groups, each with optional per-group <see cref="Options"/>.</param>
    /// <param name="lr">Default learning rate, finite and &gt;= 0 (default 1e-4).</param>
    /// <param name="beta1">Default interpolation coefficient of the update direction, in [0, 1) (default 0.9).</param>
    /// <param name="beta2">Default decay of the momentum state, in [0, 1) (default 0.99).</param>
    /// <param name="weight_decay">Default decoupled weight decay, finite and &gt;= 0 (default 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option (default or per-group) is out of range or NaN.</exception>
    public Lion(IEnumerable<ParamGroup> parameters, double lr = 1e-4, double beta1 = 0.9, double beta2 = 0.99, double weight_decay = 0)
        : base(parameters, new Options { LearningRate = lr, beta1 = beta1, beta2 = beta2, weight_decay = weight_decay })
    {
    }

    /// <summary>Creates Lion over one group of parameters from immutable <see cref="LionOptions"/>.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="options">The hyperparameters; <see cref="LionOptions.Default"/> when null.</param>
    /// <returns>A new optimizer.</returns>
    public static Lion Create(IEnumerable<Parameter> parameters, LionOptions? options = null)
    {
        options ??= LionOptions.Default;
        return new Lion(parameters, options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
    }

    /// <summary>Creates Lion over several parameter groups; <paramref name="options"/> supplies the defaults.</summary>
    /// <param name="groups">The parameter groups, each with optional per-group <see cref="Options"/>.</param>
    /// <param name="options">The default hyperparameters; <see cref="LionOptions.Default"/> when null.</param>
    /// <returns>A new optimizer.</returns>
    public static Lion Create(IEnumerable<ParamGroup> groups, LionOptions? options = null)
    {
        options ??= LionOptions.Default;
        return new Lion(groups, options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
    }

    /// <summary>The default (beta1, beta2) used by groups added later.</summary>
    public (double, double) Betas
    {
        get => (Defaults.beta1!.Value, Defaults.beta2!.Value);
        set
        {
            (Defaults.beta1, Defaults.beta2) = ValidBetas(value);
        }
    }

    private static (double, double) ValidBetas((double, double) betas) =>
        (Guard.InRange(betas.Item1, 0, 1, "beta1", maxExclusive: true), Guard.InRange(betas.Item2, 0, 1, "beta2", maxExclusive: true));

    private protected override OptimizerState NewState(Parameter parameter, Options options) => new State(parameter);

    private protected override void Update(Parameter param, Tensor grad, OptimizerState state, Options options, StepScalars s) =>
        LionUpdate.Apply(param, grad, ((State)state).exp_avg, options.LearningRate!.Value, options.beta1!.Value, options.beta2!.Value,
            options.weight_decay!.Value, s);

    /// <summary>Per-group Lion hyperparameters (TorchSharp convention: null means "use the optimizer default").</summary>
    public sealed class Options : GroupOptions
    {
        /// <summary>Interpolation coefficient of the update direction, in [0, 1).</summary>
        public double? beta1;

        /// <summary>Decay of the momentum state, in [0, 1).</summary>
        public double? beta2;

        /// <summary>Decoupled weight decay, finite and &gt;= 0.</summary>
        public double? weight_decay;

        /// <summary>Loads the group hyperparameters from a stream written by <see cref="SaveStateDict(BinaryWriter)"/>.</summary>
        /// <param name="reader">A binary reader open for reading.</param>
        public override void LoadStateDict(BinaryReader reader)
        {
            base.LoadStateDict(reader);
            (beta1, beta2, weight_decay) = (reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
        }

        /// <summary>Saves the group hyperparameters to a stream.</summary>
        /// <param name="writer">A binary writer open for writing.</param>
        public override void SaveStateDict(BinaryWriter writer)
        {
            base.SaveStateDict(writer);
            foreach (var value in new[] { beta1, beta2, weight_decay }) writer.Write(value!.Value);
        }

        private protected override void Copy(GroupOptions source, bool unsetOnly)
        {
            var o = (Options)source;
            (beta1, beta2, weight_decay) = (Pick(beta1, o.beta1, unsetOnly), Pick(beta2, o.beta2, unsetOnly),
                Pick(weight_decay, o.weight_decay, unsetOnly));
        }

        private protected override void ValidateOwn()
        {
            Guard.InRange(beta1 ?? 0, 0, 1, "beta1", maxExclusive: true);
            Guard.InRange(beta2 ?? 0, 0, 1, "beta2", maxExclusive: true);
            Guard.NonNegative(weight_decay ?? 0, "weight_decay");
        }
    }

    /// <summary>Lion's per-parameter state: the momentum <c>exp_avg</c>, the only state tensor.</summary>
    public sealed class State : OptimizerState, IDisposable, Bus.Core.Optimization.IMomentState, IStateTensors
    {
        /// <summary>Creates a zero momentum for <paramref name="parameter"/> (same shape, dtype and device).</summary>
        /// <param name="parameter">The parameter this state belongs to.</param>
        public State(Parameter parameter) : base(parameter)
        {
            exp_avg = zeros_like(parameter).DetachFromDisposeScope();
        }

        /// <summary>The momentum m (exponential average of gradients with beta2).</summary>
        public Tensor exp_avg { get; private set; }

        /// <inheritdoc />
        Tensor Bus.Core.Optimization.IMomentState.FirstMoment => exp_avg;

        /// <inheritdoc />
        Tensor? Bus.Core.Optimization.IMomentState.SecondMoment => null;

        IEnumerable<Tensor> IStateTensors.Tensors => [exp_avg];

        /// <summary>Releases the momentum tensor.</summary>
        public void Dispose() => exp_avg.Dispose();

        /// <summary>Moves the state to <paramref name="device"/>.</summary>
        /// <param name="device">The target device.</param>
        public override void to(Device device) => exp_avg = exp_avg.to(device, disposeAfter: true).DetachFromDisposeScope();

        /// <summary>Loads the momentum from a stream written by <see cref="SaveStateDict(BinaryWriter)"/>.</summary>
        /// <param name="reader">A binary reader open for reading.</param>
        public override void LoadStateDict(BinaryReader reader) => exp_avg.Load(reader);

        /// <summary>Saves the momentum to a stream.</summary>
        /// <param name="writer">A binary writer open for writing.</param>
        public override void SaveStateDict(BinaryWriter writer) => exp_avg.Save(writer);

        /// <summary>Copies the momentum from another Lion state (shapes must match).</summary>
        /// <param name="source">A <see cref="State"/>.</param>
        public override void LoadStateDict(OptimizerState source)
        {
            var other = source as State ?? throw new ArgumentException("Not a Lion state.", nameof(source));
            if (!other.exp_avg.shape.SequenceEqual(exp_avg.shape))
                throw new ArgumentException($"Lion state shape mismatch: [{string.Join(",", other.exp_avg.shape)}] vs " +
                    $"[{string.Join(",", exp_avg.shape)}].", nameof(source));
            using var _ = no_grad();
            exp_avg.copy_(other.exp_avg);
        }

        /// <summary>True when <paramref name="other"/> is a Lion state with an allclose momentum.</summary>
        /// <param name="other">The state to compare with.</param>
        /// <returns>Whether the states are approximately equal.</returns>
        public override bool ApproximatelyEquals(OptimizerState other) =>
            other is State rhs && exp_avg.allclose(rhs.exp_avg);

        /// <summary>Resets the momentum to zero.</summary>
        /// <param name="options">The group options (unused: Lion's state has no option-dependent parts).</param>
        public override void Initialize(OptimizerOptions options)
        {
            using var _ = no_grad();
            exp_avg.zero_();
        }
    }

    /// <summary>A Lion parameter group: parameters plus their own lr, betas and weight decay.</summary>
    public sealed class ParamGroup : ParamGroup<Options>, IBetas
    {
        /// <summary>Creates an empty group (set <c>Parameters</c>; unset options take the optimizer defaults).</summary>
        public ParamGroup() { }

        /// <summary>Creates a group with explicit options (null fields take the optimizer defaults).</summary>
        /// <param name="parameters">The group's parameters.</param>
        /// <param name="options">The group's options.</param>
        public ParamGroup(IEnumerable<Parameter> parameters, Options options) : base(parameters, options) { }

        /// <summary>Creates a group with the given hyperparameters.</summary>
        /// <param name="parameters">The group's parameters.</param>
        /// <param name="lr">Learning rate.</param>
        /// <param name="beta1">Interpolation coefficient of the update direction.</param>
        /// <param name="beta2">Decay of the momentum state.</param>
        /// <param name="weight_decay">Decoupled weight decay.</param>
        public ParamGroup(IEnumerable<Parameter> parameters, double lr = 1e-4, double beta1 = 0.9, double beta2 = 0.99,
            double weight_decay = 0)
            : base(parameters, new Options { LearningRate = lr, beta1 = beta1, beta2 = beta2, weight_decay = weight_decay })
        {
        }

        /// <summary>This group's (beta1, beta2).</summary>
        public (double, double) Betas
        {
            get => (Options.beta1!.Value, Options.beta2!.Value);
            set
            {
                (Options.beta1, Options.beta2) = ValidBetas(value);
            }
        }
    }
}
