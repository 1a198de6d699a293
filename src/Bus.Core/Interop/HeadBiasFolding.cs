namespace Bus.Core.Interop;

/// <summary>
/// Moves Bus's head bias c into the final LayerNorm's bias, because GPT-2's <c>lm_head</c> has none. The final norm feeds
/// only the head, so logits = W (g * x_hat + beta) + c = W (g * x_hat + beta') with beta' = beta + W^+ c, exactly when c lies
/// in the column space of W (always when W [vocab, d_model] has full row rank, i.e. vocab &lt;= d_model generically).
/// </summary>
internal static class HeadBiasFolding
{
    /// <summary>Relative residual |W beta' - (W beta + c)| / max|c| above which the bias is refused as not representable.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>beta' = beta + W^+ c (float32, same device as <paramref name="normBias"/>); throws when c is not in range(W).</summary>
    /// <exception cref="ArgumentException">The head bias cannot be expressed through the final norm's bias.</exception>
    public static Tensor Fold(Tensor headWeight, Tensor normBias, Tensor headBias)
    {
        using var scope = NewDisposeScope();
        var w = headWeight.detach().to_type(float64);
        var c = headBias.detach().to_type(float64);
        double cMax = c.abs().max().item<double>();
        if (cMax == 0) return normBias.detach().clone().MoveToOuterDisposeScope();
        // beta' = beta + W^+ c (minimum-norm solution of W delta = c).
        var delta = matmul(linalg.pinv(w), c);
        var folded = (normBias.detach().to_type(float64) + delta).to_type(float32);
        // Check with the float32 result actually written: W beta' - W beta must reproduce c.
        double residual = (matmul(w, folded.to_type(float64) - normBias.detach().to_type(float64)) - c).abs().max().item<double>();
        if (residual > Tolerance * cMax)
            throw new ArgumentException(
                $"head.bias (max |c| = {cMax:G4}) cannot be carried into GPT2LMHeadModel, whose lm_head has no bias: folding it into " +
                $"transformer.ln_f.bias leaves a logit error of {residual:G4} (vocabulary {w.shape[0]} > d_model {w.shape[1]}, or a " +
                $"rank-deficient " +
                "head). Train with a zero head bias, or keep the Bus checkpoint format.", "model");
        return folded.MoveToOuterDisposeScope();
    }
}
