using TorchSharp;

namespace Bus.Optimizers;

/// <summary>
/// Muon (Jordan et al. 2024, "Muon: MomentUm Orthogonalized by Newton-Schulz") with Moonlight's scaling and AdamW for
/// the other parameters (Liu et al. 2025, "Muon is Scalable for LLM Training", arXiv 2502.16982, sec. 2.2), as a
/// TorchSharp optimizer with TorchSharp's param-group, learning-rate and state_dict conventions.
/// </summary>
/// <remarks>
/// Groups with <see cref="Options.use_muon"/> (2-D hidden matrices W [A, B]), per step with gradient G:
/// <code>
/// M = momentum * M + G                               // momentum_buffer
/// U = nesterov ? G + momentum * M : M
/// O = NewtonSchulz5(U)                               // ≈ the orthogonal factor U V^T of U = U Σ V^T
/// W = W * (1 - lr * weight_decay) - lr * 0.2 * sqrt(max(A, B)) * O   // Moonlight: matches AdamW's update RMS
/// </code>
/// NewtonSchulz5: X = U / (‖U‖_F + 1e-7) (transposed when A &gt; B), five times X = a X + (b X X^T + c (X X^T)²) X
/// with (a, b, c) = (3.4445, -4.7750, 2.0315), computed in float32 (the reference uses bfloat16 on GPUs).
/// Other groups (embeddings, head, norms, biases) take Moonlight's AdamW step with (beta1, beta2) = adamw_betas:
/// <code>
/// m = lerp(m, g, 1 - beta1); v = lerp(v, g², 1 - beta2); t = t + 1
/// W = W * (1 - lr * weight_decay) - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)
/// </code>
/// Parameters whose gradient is null are skipped.
/// </remarks>
public sealed class Muon : GroupedOptimizer<Muon.Options>
{
    /// <summary>Newton-Schulz quintic coefficients (Jordan et al. 2024).</summary>
    public const double A = 3.4445, B = -4.7750, C = 2.0315;

    /// <summary>Creates Muon over parameter groups; options a group leaves unset take these defaults (Moonlight's).</summary>
    /// <param name="parameters">The groups; set <see cref="Options.use_muon"/> on the hidden matrices' group.</param>
    /// <param name="lr">Learning rate, finite and &gt;= 0 (default 1e-3).</param>
    /// <param name="momentum">Muon momentum, in [0, 1) (default 0.95).</param>
    /// <param name="nesterov">Nesterov momentum for Muon (default true).</param>
    /// <param name="ns_steps">Newton-Schulz iterations, 1..100 (default 5).</param>
    /// <param name="weight_decay">Decoupled weight decay for every group, finite and &gt;= 0 (default 0.1).</param>
    /// <param name="adamw_beta1">AdamW beta1 of the non-Muon groups, in [0, 1) (default 0.9).</param>
    /// <param name="adamw_beta2">AdamW beta2 of the non-Muon groups, in [0, 1) (default 0.95).</param>
    /// <param name="adamw_eps">AdamW epsilon, finite and &gt;= 0 (default 1e-8).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or a Muon group holds a parameter that is not
    /// 2-D.</exception>
    public Muon(IEnumerable<ParamGroup> parameters, double lr = 1e-3, double momentum = 0.95, bool nesterov = true, int ns_steps = 5,
        double weight_decay = 0.1, double adamw_beta1 = 0.9, double adamw_beta2 = 0.95, double adamw_eps = 1e-8)
        : base(parameters, new Options
        {
            LearningRate = lr, momentum = momentum, nesterov = nesterov, ns_steps = ns_steps, weight_decay = weight_decay,
            adamw_beta1 = adamw_beta1, adamw_beta2 = adamw_beta2, adamw_eps = adamw_eps, use_muon = false,
        })
    {
    }

    /// <summary>Creates Muon over parameter groups from immutable <see cref="MuonOptions"/> (the groups' defaults).</summary>
    /// <param name="groups">The groups; set <see cref="Options.use_muon"/> on the hidden matrices' group.</param>
    /// <param name="options">The default hyperparameters; <see cref="MuonOptions.Default"/> when null.</param>
    /// <returns>A new optimizer.</returns>
    public static Muon Create(IEnumerable<ParamGroup> groups, MuonOptions? options = null)
    {
        options ??= MuonOptions.Default;
        return new Muon(groups, options.LearningRate, options.Momentum, options.Nesterov, options.NewtonSchulzSteps, options.WeightDecay,
            options.AdamWBeta1, options.AdamWBeta2, options.AdamWEps);
    }

    /// <summary>The orthogonalisation: NewtonSchulz5 of a matrix (see the class remarks), in float32, same shape.</summary>
    /// <param name="update">A 2-D tensor.</param>
    /// <param name="steps">Iterations (default 5).</param>
    public static Tensor NewtonSchulz(Tensor update, int steps = 5)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.dim() != 2) throw new ArgumentException($"Newton-Schulz needs a matrix; got shape [{string.Join(", ", update.shape)}].",
            nameof(update));
        using var scope = NewDisposeScope();
        using var s = new StepScalars();
        bool tall = update.shape[0] > update.shape[1];
        var x = update.to(float32);
        if (tall) x = x.t();
        x = x / x.norm().add(s[1e-7]);
        for (int i = 0; i < steps; i++)
        {
            var a = x.matmul(x.t());                           // A = X X^T
            var b = a.mul(s[B]).add(a.matmul(a), alpha: s[C]);  // B = b A + c A²
            x = x.mul(s[A]).add(b.matmul(x));                   // X = a X + B X
        }
        if (tall) x = x.t();
        return x.to(update.dtype).MoveToOuterDisposeScope();
    }

    private protected override void CheckParameter(Parameter parameter, Options options)
    {
        if (options.use_muon!.Value && parameter.dim() != 2)
            throw new ArgumentOutOfRangeException("param_group",
                $"Muon updates matrices only; a parameter of shape [{string.Join(", ", parameter.shape)}] belongs in an AdamW group.");
    }

    private protected override OptimizerState NewState(Parameter parameter, Options options) => new State(parameter,
        options.use_muon!.Value);

    private protected override void Update(Parameter param, Tensor grad, OptimizerState state, Options o, StepScalars s)
    {
        var st = (State)state;
        double lr = o.LearningRate!.Value, wd = o.weight_decay!.Value;
        if (o.use_muon!.Value)
        {
            MuonUpdate.Apply(param, grad, st.momentum_buffer!, lr, o.momentum!.Value, o.nesterov!.Value, o.ns_steps!.Value, wd, s);
            return;
        }
        st.step++;
        MuonUpdate.AdamW(param, grad, st.exp_avg!, st.exp_avg_sq!, st.step, lr, o.adamw_beta1!.Value, o.adamw_beta2!.Value,
            o.adamw_eps!.Value, wd, s);
    }

    /// <summary>Per-group hyperparameters (TorchSharp convention: null means "use the optimizer default").</summary>
    public sealed class Options : GroupOptions
    {
        /// <summary>True for a group of 2-D hidden matrices (Muon); false for AdamW.</summary>
        public bool? use_muon;

        /// <summary>Muon momentum, in [0, 1).</summary>
        public double? momentum;

        /// <summary>Nesterov momentum for Muon.</summary>
        public bool? nesterov;

        /// <summary>Newton-Schulz iterations, 1..100.</summary>
        public int? ns_steps;

        /// <summary>Decoupled weight decay, finite and &gt;= 0.</summary>
        public double? weight_decay;

        /// <summary>AdamW beta1, in [0, 1).</summary>
        public double? adamw_beta1;

        /// <summary>AdamW beta2, in [0, 1).</summary>
        public double? adamw_beta2;

        /// <summary>AdamW epsilon, finite and &gt;= 0.</summary>
        public double? adamw_eps;

        /// <summary>Reads the group hyperparameters written by <see cref="SaveStateDict(BinaryWriter)"/>.</summary>
        /// <param name="reader">A binary reader.</param>
        public override void LoadStateDict(BinaryReader reader)
        {
            base.LoadStateDict(reader);
            use_muon = reader.ReadBoolean();
            momentum = reader.ReadDouble();
            nesterov = reader.ReadBoolean();
            ns_steps = reader.ReadInt32();
            weight_decay = reader.ReadDouble();
            adamw_beta1 = reader.ReadDouble();
            adamw_beta2 = reader.ReadDouble();
            adamw_eps = reader.ReadDouble();
        }

        /// <summary>Writes the group hyperparameters.</summary>
        /// <param name="writer">A binary writer.</param>
        public override void SaveStateDict(BinaryWriter writer)
        {
            base.SaveStateDict(writer);
            writer.Write(use_muon!.Value);
            writer.Write(momentum!.Value);
            writer.Write(nesterov!.Value);
            writer.Write(ns_steps!.Value);
            writer.Write(weight_decay!.Value);
            writer.Write(adamw_beta1!.Value);
            writer.Write(adamw_beta2!.Value);
            writer.Write(adamw_eps!.Value);
        }

        private protected override void Copy(GroupOptions source, bool unsetOnly)
        {
            var o = (Options)source;
            (use_muon, momentum, nesterov) = (Pick(use_muon, o.use_muon, unsetOnly), Pick(momentum, o.momentum, unsetOnly),
                Pick(nesterov, o.nesterov, unsetOnly));
            (ns_steps, weight_decay) = (Pick(ns_steps, o.ns_steps, unsetOnly), Pick(weight_decay, o.weight_decay, unsetOnly));
            (adamw_beta1, adamw_beta2, adamw_eps) = (Pick(adamw_beta1, o.adamw_beta1, unsetOnly),
                Pick(adamw_beta2, o.adamw_beta2, unsetOnly), Pick(adamw_eps, o.adamw_eps, unsetOnly));
        }

        private protected override void ValidateOwn()
        {
            Guard.InRange(momentum ?? 0, 0, 1, "momentum", maxExclusive: true);
            Guard.InRange(ns_steps ?? 1, 1, 100, "ns_steps");
            Guard.NonNegative(weight_decay ?? 0, "weight_decay");
            Guard.InRange(adamw_beta1 ?? 0, 0, 1, "adamw_beta1", maxExclusive: true);
            Guard.InRange(adamw_beta2 ?? 0, 0, 1, "adamw_beta2", maxExclusive: true);
            Guard.NonNegative(adamw_eps ?? 0, "adamw_eps");
        }
    }

    /// <summary>Per-parameter state: Muon's <c>momentum_buffer</c>, or AdamW's <c>exp_avg</c>, <c>exp_avg_sq</c> and step.</summary>
    public sealed class State : OptimizerState, IDisposable, IMomentState, IStateTensors
    {
        /// <summary>Creates zero state for <paramref name="parameter"/>.</summary>
        /// <param name="parameter">The parameter.</param>
        /// <param name="muon">True for a Muon parameter.</param>
        public State(Parameter parameter, bool muon) : base(parameter)
        {
            IsMuon = muon;
            if (muon) momentum_buffer = zeros_like(parameter).DetachFromDisposeScope();
            else (exp_avg, exp_avg_sq) = (zeros_like(parameter).DetachFromDisposeScope(), zeros_like(parameter).DetachFromDisposeScope());
        }

        /// <summary>True for a Muon parameter.</summary>
        public bool IsMuon { get; }

        /// <summary>Muon's momentum M (null for AdamW parameters).</summary>
        public Tensor? momentum_buffer { get; private set; }

        /// <summary>AdamW's first moment (null for Muon parameters).</summary>
        public Tensor? exp_avg { get; private set; }

        /// <summary>AdamW's second moment (null for Muon parameters).</summary>
        public Tensor? exp_avg_sq { get; private set; }

        /// <summary>AdamW steps taken (0 for Muon parameters).</summary>
        public long step { get; set; }

        Tensor IMomentState.FirstMoment => momentum_buffer ?? exp_avg!;

        Tensor? IMomentState.SecondMoment => exp_avg_sq;

        long IMomentState.Step { get => step; set => step = IsMuon ? 0 : value; }

        IEnumerable<Tensor> IStateTensors.Tensors => Tensors;

        private IEnumerable<Tensor> Tensors => new[] { momentum_buffer, exp_avg, exp_avg_sq }.OfType<Tensor>();

        /// <summary>Releases the state tensors.</summary>
        public void Dispose()
        {
            foreach (var t in Tensors) t.Dispose();
        }

        /// <summary>Moves the state to <paramref name="device"/>.</summary>
        /// <param name="device">The target device.</param>
        public override void to(Device device)
        {
            momentum_buffer = momentum_buffer?.to(device, disposeAfter: true).DetachFromDisposeScope();
            exp_avg = exp_avg?.to(device, disposeAfter: true).DetachFromDisposeScope();
            exp_avg_sq = exp_avg_sq?.to(device, disposeAfter: true).DetachFromDisposeScope();
        }

        /// <summary>Reads the state written by <see cref="SaveStateDict(BinaryWriter)"/>.</summary>
        /// <param name="reader">A binary reader.</param>
        public override void LoadStateDict(BinaryReader reader)
        {
            step = reader.ReadInt64();
            foreach (var t in Tensors) t.Load(reader);
        }

        /// <summary>Writes the step and the state tensors.</summary>
        /// <param name="writer">A binary writer.</param>
        public override void SaveStateDict(BinaryWriter writer)
        {
            writer.Write(step);
            foreach (var t in Tensors) t.Save(writer);
        }

        /// <summary>Copies another Muon state of the same kind and shapes.</summary>
        /// <param name="source">A <see cref="State"/>.</param>
        public override void LoadStateDict(OptimizerState source)
        {
            var other = source as State ?? throw new ArgumentException("Not a Muon state.", nameof(source));
            if (other.IsMuon != IsMuon) throw new ArgumentException("Muon and AdamW states cannot be exchanged.", nameof(source));
            using var _ = no_grad();
            foreach (var (mine, theirs) in Tensors.Zip(other.Tensors))
            {
                if (!mine.shape.SequenceEqual(theirs.shape)) throw new ArgumentException("Muon state shape mismatch.", nameof(source));
                mine.copy_(theirs);
            }
            step = other.step;
        }

        /// <summary>True when <paramref name="other"/> is a Muon state of the same kind with allclose tensors and the same step.</summary>
        /// <param name="other">The state to compare with.</param>
        public override bool ApproximatelyEquals(OptimizerState other) =>
            other is State rhs && rhs.IsMuon == IsMuon && rhs.step == step && Tensors.Zip(rhs.Tensors).All(p => p.First.allclose(p.Second));

        /// <summary>Resets the state to zero.</summary>
        /// <param name="options">Unused.</param>
        public override void Initialize(OptimizerOptions options)
        {
            using var _ = no_grad();
            foreach (var t in Tensors) t.zero_();
            step = 0;
        }
    }

    /// <summary>A Muon parameter group: parameters plus their options (set <see cref="Options.use_muon"/> for hidden matrices).</summary>
    public sealed class ParamGroup : ParamGroup<Options>
    {
        /// <summary>Creates an empty group.</summary>
        public ParamGroup() { }

        /// <summary>Creates a group with explicit options (null fields take the optimizer defaults).</summary>
        /// <param name="parameters">The group's parameters.</param>
        /// <param name="options">The group's options.</param>
        public ParamGroup(IEnumerable<Parameter> parameters, Options options) : base(parameters, options) { }
    }
}
