namespace Bus.Optimizers;

/// <summary>
/// Muon's two updates of one parameter as pure functions (see <see cref="Muon"/>'s remarks for the formulas):
/// <see cref="Muon"/> is the thin optimizer class that runs them over its param groups.
/// </summary>
public static class MuonUpdate
{
    /// <summary>
    /// One Muon step of a matrix W [A, B], in place: M = momentum M + G; U = nesterov ? G + momentum M : M;
    /// W = W (1 - lr weight_decay) - lr 0.2 sqrt(max(A, B)) NewtonSchulz(U) (Moonlight's RMS matching).
    /// </summary>
    /// <param name="param">The matrix W (updated in place).</param>
    /// <param name="grad">Its gradient G.</param>
    /// <param name="momentumBuffer">Its momentum M (updated in place).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum coefficient.</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <param name="nsSteps">Newton-Schulz iterations.</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    /// <param name="s">Keeps the step's scalars alive through the native calls.</param>
    public static void Apply(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum, bool nesterov, int nsSteps,
        double weightDecay, StepScalars s)
    {
        ArgumentNullException.ThrowIfNull(param);
        ArgumentNullException.ThrowIfNull(momentumBuffer);
        ArgumentNullException.ThrowIfNull(s);
        using var scope = NewDisposeScope();
        momentumBuffer.mul_(s[momentum]).add_(grad);                                        // M = μ M + G
        var u = nesterov ? grad.add(momentumBuffer, alpha: s[momentum]) : momentumBuffer;  // U
        var orthogonal = Muon.NewtonSchulz(u, nsSteps);
        double adjusted = lr * 0.2 * Math.Sqrt(Math.Max(param.shape[0], param.shape[1])); // Moonlight's RMS matching
        if (weightDecay != 0) param.mul_(s[1 - lr * weightDecay]);
        param.add_(orthogonal, alpha: s[-adjusted]);
    }

    /// <summary>
    /// One step of Moonlight's AdamW for the parameters Muon does not orthogonalise, in place: m = lerp(m, g, 1 - beta1);
    /// v = lerp(v, g², 1 - beta2); W = W (1 - lr weight_decay) - lr sqrt(1 - beta2^t) / (1 - beta1^t) m / (sqrt(v) + eps).
    /// </summary>
    /// <param name="param">The parameter W (updated in place).</param>
    /// <param name="grad">Its gradient g.</param>
    /// <param name="expAvg">Its first moment m (updated in place).</param>
    /// <param name="expAvgSq">Its second moment v (updated in place).</param>
    /// <param name="step">The step t, counted from 1 (this step included).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="eps">Added to sqrt(v).</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    /// <param name="s">Keeps the step's scalars alive through the native calls.</param>
    public static void AdamW(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, double lr, double beta1,
        double beta2, double eps, double weightDecay, StepScalars s)
    {
        ArgumentNullException.ThrowIfNull(param);
        ArgumentNullException.ThrowIfNull(expAvg);
        ArgumentNullException.ThrowIfNull(expAvgSq);
        ArgumentNullException.ThrowIfNull(s);
        using var scope = NewDisposeScope();
        expAvg.mul_(s[beta1]).add_(grad, alpha: s[1 - beta1]);                 // m = lerp(m, g, 1 - beta1)
        expAvgSq.mul_(s[beta2]).addcmul_(grad, grad, value: s[1 - beta2]);     // v = lerp(v, g², 1 - beta2)
        var direction = expAvg.div(expAvgSq.sqrt().add_(s[eps]));
        double scale = (1 - Math.Pow(beta1, step)) / Math.Sqrt(1 - Math.Pow(beta2, step));
        if (weightDecay != 0) param.mul_(s[1 - lr * weightDecay]);
        param.add_(direction, alpha: s[-lr / scale]);
    }
}
