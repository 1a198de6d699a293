namespace Bus.Core.LayerDropping;

/// <summary>What the time t in progressive layer dropping's theta(t) counts.</summary>
public enum PldClock
{
    /// <summary>t = optimizer steps taken (DeepSpeed's global step), with gamma per step (0.001 by default).</summary>
    Steps,
    /// <summary>t = fraction of the budget spent, with gamma per whole budget (NTNG: gamma = 100/T, so 100 here).</summary>
    BudgetFraction,
}
