namespace Bus.Core.Optimization;

/// <summary>
/// TorchSharp's <see cref="AdamW"/> with the same update, operation for operation (Loshchilov &amp; Hutter 2019,
/// Algorithm 2, as TorchSharp computes it), but with every scalar of the step held alive until the step ends
/// (<see cref="StepScalars"/>): the stock step passes temporary scalars that a concurrent garbage collection can free
/// during the native call. State, parameter groups and state dicts are the base class's.
/// </summary>
internal sealed class StepScalarAdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps,
    double weightDecay)
    : AdamW(parameters, lr, beta1, beta2, eps, weightDecay)
{
    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        return _step<ParamGroup>(group =>
        {
            var options = (Options)group.Options;
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, weightDecay = options.weight_decay!.Value;
            double eps = options.eps!.Value, lr = options.LearningRate!.Value;
            bool amsgrad = options.amsgrad!.Value, maximize = options.maximize!.Value;
            using var s = new StepScalars();
            var one = s[1.0];

            foreach (var param in group.Parameters)
            {
                var state = (State)_state[param.Handle];
                var grad = param.grad;
                if (grad is null) continue;
                if (maximize) grad = -grad;
                state.step += 1;

                param.mul_(s[1 - lr * weightDecay]);                                  // decoupled weight decay
                double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                state.exp_avg.mul_(s[beta1]).add_(grad, alpha: s[1 - beta1]);          // m = b1 m + (1 - b1) g
                state.exp_avg_sq.mul_(s[beta2]).addcmul_(grad, grad, value: s[1 - beta2]); // v = b2 v + (1 - b2) g^2

                Tensor denom;
                if (amsgrad)
                {
                    var previous = state.max_exp_avg_sq;
                    state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                    previous.Dispose();
                    denom = state.max_exp_avg_sq.sqrt().div(s[Math.Sqrt(biasCorrection2)]).add_(s[eps], one);
                }
                else
                {
                    denom = state.exp_avg_sq.sqrt().div(s[Math.Sqrt(biasCorrection2)]).add_(s[eps], one); // sqrt(v / bc2) + eps
                }
                param.addcdiv_(state.exp_avg, denom, value: s[-(lr / biasCorrection1)]); // w -= lr / bc1 * m / denom
            }
        }, closure);
    }
}
