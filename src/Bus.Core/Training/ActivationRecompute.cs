namespace Bus.Core.Training;

/// <summary>
/// Activation recompute (gradient checkpointing, Chen et al. 2016) of one block: the forward pass runs without
/// recording the autograd graph and keeps only the block's input; the backward pass runs the block again with
/// gradients enabled and back-propagates through that copy. Built on TorchSharp's custom autograd functions
/// (<c>torch.autograd.SingleTensorFunction</c>). The CPU generator's state is saved before the forward pass and put
/// back around the recomputation, so dropout draws the same masks and the gradients equal the plain path's bit for bit.
/// </summary>
public static class ActivationRecompute
{
    /// <summary>
    /// y = <paramref name="block"/>(<paramref name="x"/>), recomputed in the backward pass. <paramref name="parameters"/>
    /// must list every parameter the block reads (their gradients flow through the recomputation). Without gradients
    /// (evaluation, <c>no_grad</c>) the block simply runs.
    /// </summary>
    /// <exception cref="NotSupportedException">The input lives on a device other than the CPU and <paramref name="usesRandomness"/>
    /// is true: TorchSharp 0.107 exposes only the CPU generator's state, so dropout masks could not be replayed.</exception>
    public static Tensor Run(Func<Tensor, Tensor> block, Tensor x, IEnumerable<Parameter> parameters, bool usesRandomness = true)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(parameters);
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        if (!is_grad_enabled() || (!x.requires_grad && trainable.Count == 0)) return block(x);
        if (usesRandomness && x.device.type != DeviceType.CPU)
            throw new NotSupportedException(
                $"Activation recompute with dropout on {x.device.type}: TorchSharp 0.107 exposes only the CPU generator's state, " +
                "so the recomputed dropout masks would differ; set the dropout to 0 or turn Recompute off.");
        byte[]? rng = null;
        if (usesRandomness)
        {
            using var state = get_rng_state();
            rng = state.data<byte>().ToArray();
        }
        var call = new RecomputedCall(block, rng, trainable);
        var args = new List<object>(trainable.Count + 2) { x };
        args.AddRange(trainable);
        args.Add(call);
        return RecomputedBlockFunction.apply(args.ToArray());
    }

    /// <summary>
    /// Sets <see cref="IRecomputedBlocks.Recompute"/> to <paramref name="on"/> on <paramref name="module"/> and on every
    /// sub-module that implements it; returns how many modules it set.
    /// </summary>
    public static int Enable(nn.Module module, bool on = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        int count = 0;
        foreach (var m in module.modules().Prepend(module).Distinct().OfType<IRecomputedBlocks>())
        {
            m.Recompute = on;
            count++;
        }
        return count;
    }
}

/// <summary>What the backward pass needs to recompute a block: the block, the generator state before it ran, its parameters.</summary>
internal sealed class RecomputedCall(Func<Tensor, Tensor> block, byte[]? rngState, IReadOnlyList<Parameter> parameters)
{
    public Func<Tensor, Tensor> Block { get; } = block;

    /// <summary>CPU generator state taken just before the forward pass (null: the block draws no random numbers).</summary>
    public byte[]? RngState { get; } = rngState;

    public IReadOnlyList<Parameter> Parameters { get; } = parameters;
}
