namespace Bus.Core.Training;

/// <summary>
/// The forward and backward passes of one step in <see cref="TrainerOptions.Precision"/> (docs/training.md, "Mixed
/// precision"). In fp32 it runs the model itself. Otherwise the trained model keeps its fp32 parameters (the master
/// weights: the optimizer, growth, checkpoints and evaluation see only them) and this class keeps a compute copy: a
/// <see cref="GrowableTransformer"/> of the same config in bf16 or fp16, rebuilt whenever the master is replaced (growth,
/// a resume at a later stage). Each step copies the masters into it (cast), runs its forward (logits cast back to fp32 for
/// the loss), back-propagates through it (the loss multiplied by the fp16 loss scale) and writes its gradients, cast to
/// fp32 and divided by the scale, into the masters' <c>grad</c>. An fp16 step whose gradients overflowed is reported so
/// the trainer skips it; the scaler lowers its scale.
/// </summary>
internal sealed class MixedPrecisionStep : IDisposable
{
    private readonly Precision _precision;
    private GrowableTransformer? _compute;
    private nn.Module? _source;
    private (Parameter Master, Parameter Compute)[] _pairs = [];

    /// <summary>A step runner for <paramref name="precision"/>.</summary>
    public MixedPrecisionStep(Precision precision)
    {
        _precision = Guard.Defined(precision, nameof(precision));
        Scaler = precision == Precision.Fp16 ? new DynamicLossScaler() : null;
    }

    /// <summary>The fp16 loss scaler (null in fp32 and bf16).</summary>
    public DynamicLossScaler? Scaler { get; }

    /// <summary>The low-precision copy (null in fp32 and before the first step).</summary>
    public GrowableTransformer? ComputeCopy => _compute;

    /// <summary>Refuses a model the compute copy cannot be built for (any module trains in fp32).</summary>
    /// <exception cref="ArgumentException">Not fp32 and not a <see cref="GrowableTransformer"/>.</exception>
    public void RequireSupported(nn.Module<Tensor, Tensor> model)
    {
        if (_precision != Precision.Fp32 && model is not GrowableTransformer)
            throw new ArgumentException(
                $"TrainerOptions.Precision {_precision.Name()} needs a GrowableTransformer " +
                "(its compute copy is rebuilt from the config); " +
                $"this run trains a {model.GetType().Name}: use Precision fp32.", nameof(model));
    }

    /// <summary>Blocks that ran in the last forward pass of the module that ran it (the model or its compute copy).</summary>
    public int LastActiveLayers(nn.Module<Tensor, Tensor> model) =>
        (_precision == Precision.Fp32 ? model as GrowableTransformer : _compute)?.LastActiveLayers ?? 0;

    /// <summary>Logits of <paramref name="inputs"/>, in fp32, computed in the run's precision.</summary>
    public Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        if (_precision == Precision.Fp32) return model.forward(inputs);
        var master = (GrowableTransformer)model;
        var compute = Sync(master);
        using var logits = compute.forward(inputs);
        return logits.to(ScalarType.Float32);
    }

    /// <summary>Starts a step's backward passes: clears the compute copy's gradients (the caller clears the masters').</summary>
    public void BeginBackward() => _compute?.zero_grad();

    /// <summary>
    /// Back-propagates <paramref name="loss"/> (one micro-batch's part of the step's loss, or all of it): in fp32 into
    /// the model's gradients, otherwise into the compute copy's, multiplied by the fp16 loss scale. Parts accumulate.
    /// </summary>
    public void BackwardPart(Tensor loss)
    {
        double scale = Scaler?.Scale ?? 1.0;
        if (_precision == Precision.Fp32 || scale == 1.0) loss.backward();
        else
        {
            using var scaled = loss * scale;
            scaled.backward();
        }
    }

    /// <summary>
    /// Ends a step's backward passes and leaves fp32 gradients in the model's parameters (the compute copy's, cast to
    /// fp32 and divided by the scale). Returns false when fp16 gradients overflowed: the scale is lowered and the caller
    /// clears the gradients and skips the step.
    /// </summary>
    public bool FinishBackward()
    {
        if (_precision == Precision.Fp32) return true;
        double scale = Scaler?.Scale ?? 1.0;
        using (no_grad())
        {
            foreach (var (master, compute) in _pairs)
            {
                using var g = compute.grad;
                if (g is null) continue;
                var full = g.to(ScalarType.Float32);
                if (scale != 1.0) full.div_(scale);
                master.grad = full;
            }
        }
        if (Scaler is null) return true;
        bool overflowed = !NonFiniteGuard.AllFinite(_pairs.Select(p => p.Master.grad).Where(g => g is not null)!);
        Scaler.Update(overflowed);
        return !overflowed;
    }

    /// <summary>One whole-batch backward pass: <see cref="BeginBackward"/>, <see cref="BackwardPart"/>,
    /// <see cref="FinishBackward"/>.</summary>
    public bool Backward(Tensor loss)
    {
        BeginBackward();
        BackwardPart(loss);
        return FinishBackward();
    }

    /// <summary>The compute copy of <paramref name="master"/> with the masters' current values, mode, gate and mask.</summary>
    private GrowableTransformer Sync(GrowableTransformer master)
    {
        if (_compute is null || !ReferenceEquals(_source, master) || _compute.Config != master.Config) Rebuild(master);
        using (no_grad())
            foreach (var (m, c) in _pairs) c.copy_(m);
        var compute = _compute!;
        compute.train(master.training);
        compute.LayerGate = master.LayerGate;
        compute.Mask = master.Mask;
        compute.Recompute = master.Recompute;
        return compute;
    }

    /// <summary>Builds the compute copy without touching the global generator (its random initialisation is overwritten).</summary>
    private void Rebuild(GrowableTransformer master)
    {
        _compute?.Dispose();
        using var rng = get_rng_state();
        try
        {
            _compute = new GrowableTransformer(master.Config);
        }
        finally
        {
            set_rng_state(rng);
        }
        _compute.to(master.Device.type, master.Device.index);
        _compute.to(_precision.DType());
        // Built during a step: keep its tensors out of the step's dispose scope (this class disposes the copy).
        foreach (var t in _compute.parameters()) t.DetachFromDisposeScope();
        foreach (var t in _compute.buffers()) t.DetachFromDisposeScope();
        var own = _compute.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _pairs = master.named_parameters().Select(p => (p.parameter, own[p.name])).ToArray();
        _source = master;
    }

    /// <summary>Frees the compute copy.</summary>
    public void Dispose()
    {
        _compute?.Dispose();
        _compute = null;
        _pairs = [];
    }
}
