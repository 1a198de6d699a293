namespace Bus.Core.Training;

/// <summary>
/// The custom autograd function behind <see cref="ActivationRecompute"/>. Inputs: x, the block's parameters, then a
/// <see cref="RecomputedCall"/>. Forward (TorchSharp runs it with gradients off): y = block(x), saving only x. Backward:
/// puts back the generator state of the forward pass, reruns the block on a detached copy of x with gradients on, and
/// returns d(y·g)/dx and d(y·g)/dθ for each parameter θ (the engine accumulates them into <c>θ.grad</c>).
/// </summary>
internal sealed class RecomputedBlockFunction : autograd.SingleTensorFunction<RecomputedBlockFunction>
{
    private const string CallKey = "call";

    private static long _recomputations;

    /// <summary>Blocks recomputed in backward passes so far in this process (tests check the path ran).</summary>
    internal static long Recomputations => Interlocked.Read(ref _recomputations);

    public override string Name => nameof(RecomputedBlockFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var call = (RecomputedCall)vars[^1];
        ctx.save_data(CallKey, call);
        ctx.save_for_backward([x]);
        using var scope = NewDisposeScope();
        return call.Block(x).MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var call = (RecomputedCall)ctx.get_data(CallKey);
        Interlocked.Increment(ref _recomputations);
        using var saved = ctx.get_saved_variables()[0];
        using var current = call.RngState is null ? null : get_rng_state();
        IList<Tensor> grads;
        try
        {
            if (call.RngState is { } bytes)
            {
                using var state = tensor(bytes, dtype: ScalarType.Byte);
                set_rng_state(state);
            }
            using var gradMode = enable_grad();
            using var scope = NewDisposeScope();
            var input = saved.detach().requires_grad_(true);
            var output = call.Block(input);
            var inputs = new List<Tensor>(call.Parameters.Count + 1) { input };
            inputs.AddRange(call.Parameters);
            grads = autograd.grad([output], inputs, [grad_output], allow_unused: true);
            foreach (var g in grads) g?.MoveToOuterDisposeScope();
        }
        finally
        {
            if (current is not null) set_rng_state(current);
        }
        // One gradient per argument of apply: x, each parameter, then none for the RecomputedCall.
        return [.. grads, null!];
    }
}
