using Bus.Experiments;
using Bus.Growth.KnowledgeInheritance;

namespace Bus.Experiments.Tests;

/// <summary>Knowledge inheritance: the loss against hand-computed values, the annealing, and the teacher forwards it charges.</summary>
public sealed class StudyKnowledgeInheritanceTests
{
    [Fact]
    public void LossMatchesTheHandComputedMixtureOfTaskLossAndKl()
    {
        // Student logits (0, 0): q = (1/2, 1/2). Teacher logits (ln 3, 0): p = (3/4, 1/4).
        // KL(p||q) = 3/4 ln(3/2) + 1/4 ln(1/2) = 0.1308120 (by hand); with task loss 2 and a = 1/4: 3/4 * 2 + 1/4 * 0.1308120.
        using var student = tensor(new float[] { 0, 0 }).reshape(1, 1, 2);
        using var teacher = tensor(new float[] { (float)Math.Log(3), 0 }).reshape(1, 1, 2);
        using var task = tensor(2f);
        double kl = 0.75 * Math.Log(1.5) + 0.25 * Math.Log(0.5);
        using var klTensor = DistillationLoss.KlDivergence(student, teacher);
        using var loss = DistillationLoss.Combine(task, student, teacher, 0.25);
        klTensor.item<float>().Should().BeApproximately((float)kl, (float)(1e-5 * kl));
        loss.item<float>().Should().BeApproximately((float)(1.5 + 0.25 * kl), 1e-5f * 1.6f);
    }

    [Fact]
    public void MismatchedLogitsAreRefusedWithBothShapes()
    {
        using var a = zeros(1, 2, 3);
        using var b = zeros(1, 2, 4);
        var act = () => DistillationLoss.KlDivergence(a, b);
        act.Should().Throw<ArgumentException>().WithMessage("*1,2,4*1,2,3*");
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.125, 0.25)]
    [InlineData(0.25, 0.0)]
    [InlineData(0.9, 0.0)]
    public void WeightAnnealsLinearlyToZero(double fraction, double expected) =>
        new KnowledgeInheritanceOptions().WeightAt(fraction).Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void TeacherRunsOnlyWhileItsWeightIsPositiveAndIsChargedAsSetup()
    {
        var options = StudyOptions.Tiny.Comparison with { LearningRate = 3e-3 };
        var (train, dev) = ExperimentTask.Build(ExperimentTaskKind.CharLm, BuiltInCorpus.BrownSlice(), options.SequenceLength, options.MaxWindows);
        using (train)
        using (dev)
        {
            var run = StudyRunner.RunOne(StudyArms.Parse(StudyArms.KnowledgeInheritance), options, StudyRunner.FullConfig(StudyOptions.Tiny), train, dev,
                SequenceObjective.LanguageModel, seed: 3, costModel: null);
            // Budget 12 steps: the teacher takes 25% (3 steps, charged); the student's 9 steps see fractions 0, 1/9, 2/9 < 0.25
            // (weight > 0, teacher runs) and 3/9 onwards (weight 0): 3 teacher forwards.
            run.Setup.Should().ContainSingle(s => s.Charged && s.Steps == 3);
            run.Steps.Should().Be(9);
            run.Log.Should().Contain("knowledge inheritance: 3 teacher forwards charged");
            double.IsFinite(run.FinalMetric).Should().BeTrue();
        }
    }
}
