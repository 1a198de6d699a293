namespace Bus.Core.Optimization;

/// <summary>
/// Per-parameter state of an optimizer written outside TorchSharp (Bus's Lion), exposing its moment tensors by type so
/// growth can map them (<c>MomentMapper</c>, policy MapMoments) without reflection. TorchSharp's Adam and AdamW states
/// are read through their own typed fields.
/// </summary>
public interface IMomentState
{
    /// <summary>The first moment, the exponential average of gradients (PyTorch's <c>exp_avg</c>).</summary>
    Tensor FirstMoment { get; }

    /// <summary>The second moment, the exponential average of squared gradients (<c>exp_avg_sq</c>); null when the optimizer keeps
    /// none.</summary>
    Tensor? SecondMoment { get; }

    /// <summary>Steps taken, for optimizers whose update depends on it (bias correction); 0 and ignored by default.</summary>
    long Step { get => 0; set { } }
}
