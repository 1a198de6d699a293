namespace Bus.Optimizers;

/// <summary>
/// Lion's update of one parameter as a pure function (Chen et al. 2023, Alg. 2; lion-pytorch's <c>update_fn</c>):
/// <see cref="Lion"/> is the thin optimizer class that runs it over its param groups.
/// </summary>
public static class LionUpdate
{
    /// <summary>
    /// One Lion step, in place: c = beta1 m + (1 - beta1) g; w = w - lr (sign(c) + weight_decay w) (decay with the
    /// pre-update w; sign(0) = 0); m = beta2 m + (1 - beta2) g.
    /// </summary>
    /// <param name="param">The parameter w (updated in place).</param>
    /// <param name="grad">Its gradient g.</param>
    /// <param name="expAvg">Its momentum m (updated in place).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Interpolation coefficient of the update direction.</param>
    /// <param name="beta2">Decay of the momentum.</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    /// <param name="s">Keeps the step's scalars alive through the native calls.</param>
    public static void Apply(Tensor param, Tensor grad, Tensor expAvg, double lr, double beta1, double beta2, double weightDecay,
        StepScalars s)
    {
        ArgumentNullException.ThrowIfNull(param);
        ArgumentNullException.ThrowIfNull(grad);
        ArgumentNullException.ThrowIfNull(expAvg);
        ArgumentNullException.ThrowIfNull(s);
        using var update = expAvg.mul(s[beta1]).add_(grad, alpha: s[1 - beta1]).sign_(); // sign(c), sign(0) = 0
        if (weightDecay != 0) param.mul_(s[1 - lr * weightDecay]);                     // decay with pre-update w
        param.add_(update, alpha: s[-lr]);
        expAvg.mul_(s[beta2]).add_(grad, alpha: s[1 - beta2]);
    }
}
