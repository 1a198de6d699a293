namespace Bus.Selection;

/// <summary>Which mode the model is in while a selector scores candidates (always without gradients).</summary>
public enum ScoringMode
{
    /// <summary>train(): dropout and layer gates active, as in the RHO-LOSS paper's default.</summary>
    Train,
    /// <summary>eval(): deterministic scoring with every block and no dropout.</summary>
    Eval,
}
