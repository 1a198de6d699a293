namespace Bus.Growth.KnowledgeInheritance;

/// <summary>The knowledge-inheritance loss: (1 - a) task loss + a KL(p_teacher || p_student), KL averaged over positions.</summary>
public static class DistillationLoss
{
    /// <summary>
    /// KL(softmax(teacher / T) || softmax(student / T)) summed over the last (class) axis and averaged over every
    /// other position, times T² (Hinton et al. 2015, so gradients keep their scale across temperatures).
    /// </summary>
    /// <exception cref="ArgumentException">The logits differ in shape.</exception>
    public static Tensor KlDivergence(Tensor studentLogits, Tensor teacherLogits, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(studentLogits);
        ArgumentNullException.ThrowIfNull(teacherLogits);
        if (!studentLogits.shape.SequenceEqual(teacherLogits.shape))
            throw new ArgumentException($"Teacher logits [{string.Join(",", teacherLogits.shape)}] do not match student logits " +
                $"[{string.Join(",", studentLogits.shape)}].", nameof(teacherLogits));
        long classes = studentLogits.shape[^1];
        var logQ = nn.functional.log_softmax(studentLogits.reshape(-1, classes) / temperature, 1);
        var logP = nn.functional.log_softmax(teacherLogits.reshape(-1, classes).detach() / temperature, 1);
        // KL(P || Q) = sum_c p_c (log p_c - log q_c)
        return (logP.exp() * (logP - logQ)).sum(1).mean() * (temperature * temperature);
    }

    /// <summary>(1 - <paramref name="alpha"/>) <paramref name="taskLoss"/> + <paramref name="alpha"/> KL(teacher || student).</summary>
    public static Tensor Combine(Tensor taskLoss, Tensor studentLogits, Tensor teacherLogits, double alpha, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(taskLoss);
        if (!(alpha is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha,
            $"alpha must be in [0, 1], got {alpha}.");
        return taskLoss * (1 - alpha) + KlDivergence(studentLogits, teacherLogits, temperature) * alpha;
    }
}
