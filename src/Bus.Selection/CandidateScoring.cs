namespace Bus.Selection;

/// <summary>Forward-only scoring shared by the selectors: per-example loss under no_grad in a chosen mode.</summary>
internal static class CandidateScoring
{
    /// <summary>Per-example loss [n] of <paramref name="inputs"/>; the model's train/eval mode is restored afterwards.</summary>
    public static Tensor PerExampleLoss(nn.Module<Tensor, Tensor> model, ITrainingObjective objective, Tensor inputs, Tensor targets,
        ScoringMode mode)
    {
        bool wasTraining = model.training;
        if (mode == ScoringMode.Train) model.train(); else model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var logits = model.forward(inputs);
            return objective.PerExampleLoss(logits, targets).detach().MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Per-example losses as doubles on the CPU.</summary>
    public static double[] ToDoubles(Tensor losses)
    {
        using var cpu = losses.to(float64).cpu();
        return cpu.data<double>().ToArray();
    }
}
