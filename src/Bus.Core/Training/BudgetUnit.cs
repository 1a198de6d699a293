namespace Bus.Core.Training;

/// <summary>What a <see cref="Budget"/> counts.</summary>
public enum BudgetUnit
{
    /// <summary>Optimizer steps.</summary>
    Steps,
    /// <summary>Passes over the training set (converted to steps from the dataset and batch size).</summary>
    Epochs,
    /// <summary>Training examples back-propagated.</summary>
    Samples,
    /// <summary>Training tokens back-propagated.</summary>
    Tokens,
    /// <summary>Wall-clock seconds of training (evaluation excluded).</summary>
    WallClockSeconds,
    /// <summary>Estimated floating-point operations (forward + backward, plus selection forwards).</summary>
    Flops,
    /// <summary>Reference-system seconds from a calibrated cost model (NTNG's RST).</summary>
    ReferenceSeconds,
}
