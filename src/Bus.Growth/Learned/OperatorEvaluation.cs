namespace Bus.Growth.Learned;

/// <summary>The task loss of a learned operator's grown weights on the fixed evaluation batch at one check.</summary>
/// <param name="Step">Adam steps taken before the check (0: the operator's initialisation).</param>
/// <param name="Loss">Mean task loss (nats) on the evaluation batch.</param>
public sealed record OperatorEvaluation(int Step, double Loss);
