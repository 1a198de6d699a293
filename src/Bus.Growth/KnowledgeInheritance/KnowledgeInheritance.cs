using Bus.Core.Tasks;

namespace Bus.Growth.KnowledgeInheritance;

/// <summary>
/// Knowledge inheritance as a training algorithm (Qin et al. 2022): a trained small <see cref="Teacher"/> distils
/// into the student early in its run. Wrap the training data with <see cref="WrapData"/> (each training batch also
/// runs the teacher, while the KD weight is positive) and the objective with <see cref="WrapObjective"/> (the
/// training loss becomes (1 - a) LM + a KL(teacher || student)); add this object to the trainer's algorithms, which
/// sets a from the budget fraction at each step start and charges each teacher forward to the budget at step end.
/// Dev evaluation uses the plain task loss. Disposing it disposes the teacher.
/// </summary>
public sealed class KnowledgeInheritance : TrainingCallback, IDisposable
{
    private Tensor? _teacherLogits;
    private int _teacherBatch;

    /// <summary>Creates the algorithm; it takes ownership of <paramref name="teacher"/>.</summary>
    public KnowledgeInheritance(GrowableTransformer teacher, KnowledgeInheritanceOptions? options = null)
    {
        Teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        Options = options ?? new KnowledgeInheritanceOptions();
        Teacher.eval();
    }

    /// <summary>The trained small model.</summary>
    public GrowableTransformer Teacher { get; }

    /// <summary>KD weight, its annealing and temperature.</summary>
    public KnowledgeInheritanceOptions Options { get; }

    /// <summary>The KD weight of the current step.</summary>
    public double Weight { get; private set; }

    /// <summary>Teacher forward passes run so far.</summary>
    public long TeacherForwards { get; private set; }

    /// <inheritdoc />
    public override string Name => "knowledge-inheritance";

    /// <summary>Training data whose batches also run the teacher (while the KD weight is positive).</summary>
    public ITrainingData WrapData(ITrainingData train) => new TeacherData(train ?? throw new ArgumentNullException(nameof(train)), this);

    /// <summary>The objective whose training loss adds the KL term (metric and per-example loss unchanged).</summary>
    public ITrainingObjective WrapObjective(ITrainingObjective objective) => new DistillingObjective(objective
        ?? throw new ArgumentNullException(nameof(objective)), this);

    /// <inheritdoc />
    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.StepStart:
                Weight = Options.WeightAt(state.Meter.Fraction);
                break;
            case TrainingEvent.StepEnd:
                if (_teacherBatch > 0)
                    state.Meter.ChargeForward(new StepCost(_teacherBatch, state.TrainData.SequenceLength ?? 1, Teacher.Config.Layers, true,
                        null), Teacher.Config);
                _teacherBatch = 0;
                _teacherLogits = null;
                break;
        }
    }

    /// <summary>Disposes the teacher.</summary>
    public void Dispose() => Teacher.Dispose();

    private void RunTeacher(Tensor inputs)
    {
        if (Weight <= 0) return;
        using (no_grad())
            _teacherLogits = Teacher.forward(inputs.to(ModuleDevice.Of(Teacher)));
        _teacherBatch = (int)inputs.shape[0];
        TeacherForwards++;
    }

    /// <summary>Takes the current batch's teacher logits (once), or null outside training steps or after annealing.</summary>
    private Tensor? TakeTeacherLogits()
    {
        var logits = _teacherLogits;
        _teacherLogits = null;
        return logits;
    }

    private sealed class TeacherData(ITrainingData inner, KnowledgeInheritance owner) : ITrainingData
    {
        public long Count => inner.Count;
        public int? SequenceLength => inner.SequenceLength;
        public IExampleSampler CreateSampler(Random random) => inner.CreateSampler(random);
        public IEnumerable<long> EvaluationIndices(long? maxExamples) => inner.EvaluationIndices(maxExamples);

        public (Tensor Inputs, Tensor Targets) Batch(Tensor indices)
        {
            var batch = inner.Batch(indices);
            owner.RunTeacher(batch.Inputs);
            return batch;
        }
    }

    private sealed class DistillingObjective(ITrainingObjective inner, KnowledgeInheritance owner) : ITrainingObjective
    {
        public string MetricName => inner.MetricName;
        public bool HigherIsBetter => inner.HigherIsBetter;
        public Tensor PerExampleLoss(Tensor output, Tensor targets) => inner.PerExampleLoss(output, targets);
        public (double Sum, long Count) MetricSum(Tensor output, Tensor targets) => inner.MetricSum(output, targets);
        public double Finish(double sum, long count) => inner.Finish(sum, count);

        // Section "knowledge inheritance": L = (1 - a) L_LM + a KL(p_teacher || p_student), a from the step start.
        public Tensor Loss(Tensor output, Tensor targets)
        {
            var teacher = owner.TakeTeacherLogits();
            var task = inner.Loss(output, targets);
            return teacher is null ? task : DistillationLoss.Combine(task, output, teacher.to(output.device), owner.Weight,
                owner.Options.Temperature);
        }
    }
}
