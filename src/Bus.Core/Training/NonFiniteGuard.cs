using System.Runtime.InteropServices;

namespace Bus.Core.Training;

/// <summary>
/// Keeps NaN and infinity out of the model (docs/reliability.md, "Non-finite values"): the gradient norm is checked
/// before the optimizer step and the parameters after it; a step that produced non-finite parameters is undone from a
/// flat copy taken just before it, so under both policies the model always holds the weights of its last finite step.
/// Counts skipped steps so a run that skipped every step, or ended non-finite, is an error rather than "budget spent".
/// </summary>
internal sealed class NonFiniteGuard(NonFiniteLossPolicy policy)
{
    private Tensor? _before;

    /// <summary>Steps skipped in this Fit (non-finite loss, gradient or update).</summary>
    public long Skipped { get; private set; }

    /// <summary>Steps attempted in this Fit.</summary>
    public long Attempted { get; private set; }

    /// <summary>Path and step of the last checkpoint written or restored (null: none), quoted in errors.</summary>
    public (string Path, long Step)? LastCheckpoint { get; set; }

    /// <summary>Counts a step attempt.</summary>
    public void BeginStep() => Attempted++;

    /// <summary>
    /// Handles a non-finite <paramref name="what"/> at <paramref name="step"/>: <see cref="NonFiniteLossPolicy.Stop"/> throws
    /// naming the step the model and the last checkpoint hold; <see cref="NonFiniteLossPolicy.SkipStep"/> counts the skip
    /// and returns the log line.
    /// </summary>
    public string Reject(long step, string what, double loss)
    {
        if (policy == NonFiniteLossPolicy.Stop)
            throw new NonFiniteLossException(
                step, loss, $"{what} at step {step}; the model keeps the weights of step {step - 1}; {CheckpointNote()}.");
        Skipped++;
        return $"skipped step {step}: {what}; weights unchanged";
    }

    /// <summary>
    /// Euclidean norm of all gradients (the value <c>clip_grad_norm_</c> clips), computed without changing them: the
    /// gradients are gathered into one vector and reduced once (float32; again in float64 only when the float32 sum of
    /// squares overflows), with one host read.
    /// </summary>
    public static double GradientNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!.reshape(-1)).ToList();
        if (grads.Count == 0) return 0;
        var flat = grads.Count == 1 ? grads[0] : cat(grads, 0);
        double norm = flat.norm().item<float>();
        return double.IsFinite(norm) ? norm : flat.to(float64).norm().item<double>();
    }

    /// <summary>
    /// Copies the parameters before the optimizer step into one flat vector (one native call, whatever the number of
    /// parameters).
    /// </summary>
    public void SaveWeights(IReadOnlyList<Parameter> parameters)
    {
        using var noGrad = no_grad();
        _before?.Dispose();
        _before = Flatten(parameters).DetachFromDisposeScope();
    }

    /// <summary>
    /// True when every parameter is finite after the step: one flat copy, one sum and one host read. A NaN or infinity
    /// makes the sum non-finite, so a finite sum proves every element finite; a non-finite sum (also the rare overflow of
    /// a sum of finite values) is confirmed element by element.
    /// </summary>
    public static bool UpdateIsFinite(IReadOnlyList<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = Flatten(parameters);
        if (!flat.is_floating_point()) return true;
        return double.IsFinite(flat.sum().to(float64).item<double>()) || isfinite(flat).all().item<bool>();
    }

    /// <summary>Puts back the parameters saved by <see cref="SaveWeights"/>, bit for bit.</summary>
    public void RestoreWeights(IReadOnlyList<Parameter> parameters)
    {
        if (_before is null) throw new InvalidOperationException("No weights were saved before this step.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in parameters)
        {
            long count = p.numel();
            p.copy_(_before.narrow(0, offset, count).view(p.shape));
            offset += count;
        }
    }

    /// <summary>True when every element of every parameter is finite.</summary>
    public static bool AllFinite(IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        var flags = tensors.Where(t => t.is_floating_point()).Select(t => isfinite(t).all()).ToArray();
        return flags.Length == 0 || stack(flags).all().item<bool>();
    }

    /// <summary>
    /// The parameters' elements in one vector: TorchSharp's native <c>parameters_to_vector</c> (one call for all of them),
    /// or, when it refuses (a non-contiguous parameter cannot be viewed flat), one reshape per parameter and a concatenation.
    /// </summary>
    private static Tensor Flatten(IReadOnlyList<Parameter> parameters)
    {
        try
        {
            return nn.utils.parameters_to_vector(parameters);
        }
        catch (ExternalException)
        {
            return cat(parameters.Select(p => p.reshape(-1)).ToList(), 0);
        }
    }

    /// <summary>At the end of a SkipStep run: every step skipped, or a non-finite model, is an error.</summary>
    public void RequireUsableResult(IEnumerable<Parameter> parameters, long step)
    {
        if (Attempted > 0 && Skipped == Attempted)
            throw new NonFiniteLossException(step, double.NaN,
                $"All {Attempted} steps of this run were skipped (non-finite loss, gradients or updates); the model is unchanged; " +
                $"{CheckpointNote()}.");
        if (!AllFinite(parameters))
            throw new NonFiniteLossException(step, double.NaN,
                $"The model holds non-finite parameters at step {step}; {CheckpointNote()}.");
    }

    /// <summary>Frees the saved copy.</summary>
    public void Release()
    {
        _before?.Dispose();
        _before = null;
    }

    private string CheckpointNote() => LastCheckpoint is { } c
        ? string.Create(CultureInfo.InvariantCulture,
            $"the last finite checkpoint '{c.Path}' holds step {c.Step}; to go on from it with a lower learning rate, "
            + $"rerun with --rescue and a lower --lr (CheckpointOptions.Rescue)")
        : "no checkpoint was written";

    /// <summary>A number for messages (invariant culture, 4 significant digits).</summary>
    public static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
