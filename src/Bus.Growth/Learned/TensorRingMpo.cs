namespace Bus.Growth.Learned;

/// <summary>
/// The tensor-ring matrix product operator (TR-MPO) used by MANGO (Pan et al., NeurIPS 2023, §3.2) to apply a full
/// linear map Φ from a small weight tensor M1 [B1, O1, I1, L1] (weight types × out × in × layers) to a big one
/// M2 [B2, O2, I2, L2] without forming Φ (which has B1·O1·I1·L1·B2·O2·I2·L2 entries). Φ is a ring of four cores
/// <list type="bullet">
/// <item>S_B [R, B1, B2, R] (type core: mixes weight types, e.g. q with k),</item>
/// <item>S_O [R, O1, O2, R] (out-width core),</item>
/// <item>S_I [R, I1, I2, R] (in-width core),</item>
/// <item>S_L [R, L1, L2, R] (depth core),</item>
/// </list>
/// with Φ[b1,o1,i1,l1; b2,o2,i2,l2] = Tr(S_B[:,b1,b2,:] · S_O[:,o1,o2,:] · S_I[:,i1,i2,:] · S_L[:,l1,l2,:]), the trace closing
/// the ring over the bond (rank) index R, and M2 = Σ_{b1,o1,i1,l1} Φ[...] M1[b1,o1,i1,l1].
/// With R = 1 the trace is a plain product: M2[b2,:,:,l2] = Σ_{b1,l1} S_B[b1,b2] S_L[l1,l2] · S_O^T M1[b1,:,:,l1] S_I,
/// i.e. LiGO's W_big = A W B^T with A = S_O^T, B = S_I^T shared by the family, depth weights w = S_L^T, plus type mixing S_B.
/// </summary>
public static class TensorRingMpo
{
    /// <summary>Contracts M1 with the ring of four cores (shapes in the class summary) and returns M2 [B2, O2, I2, L2].</summary>
    /// <exception cref="ArgumentException">A tensor has the wrong rank or the shapes do not chain.</exception>
    public static Tensor Apply(Tensor m1, Tensor typeCore, Tensor outCore, Tensor inCore, Tensor depthCore)
    {
        ArgumentNullException.ThrowIfNull(m1);
        ArgumentNullException.ThrowIfNull(typeCore);
        ArgumentNullException.ThrowIfNull(outCore);
        ArgumentNullException.ThrowIfNull(inCore);
        ArgumentNullException.ThrowIfNull(depthCore);
        if (m1.dim() != 4) throw new ArgumentException($"M1 must be [B, O, I, L], got [{string.Join(", ", m1.shape)}].", nameof(m1));
        Check(typeCore, m1.shape[0], nameof(typeCore));
        Check(outCore, m1.shape[1], nameof(outCore));
        Check(inCore, m1.shape[2], nameof(inCore));
        Check(depthCore, m1.shape[3], nameof(depthCore));
        using var scope = NewDisposeScope();
        // Bond indices: p (r1), q (r2), s (r3), t (r4); the ring closes t -> p through the depth core.
        var x1 = einsum("pbcq,boil->pqcoil", typeCore, m1);            // Σ_b1 S_B
        var x2 = einsum("pqcoil,qovs->pscvil", x1, outCore);          // Σ_o1,r2 S_O
        var x3 = einsum("pscvil,sijt->ptcvjl", x2, inCore);           // Σ_i1,r3 S_I
        return einsum("ptcvjl,tlmp->cvjm", x3, depthCore).MoveToOuterDisposeScope(); // Σ_l1,r4,r1 S_L (trace)
    }

    private static void Check(Tensor core, long small, string name)
    {
        if (core.dim() != 4 || core.shape[0] != core.shape[3] || core.shape[1] != small)
            throw new ArgumentException(
                $"Core must be [R, {small}, big, R] with equal bond dimensions, got [{string.Join(", ", core.shape)}].", name);
    }
}
