namespace Bus.Core.Tests.Training;

/// <summary>
/// Issue 23: after a stop on a non-finite loss the documented way out (a lower learning rate) was refused by the run
/// fingerprint. <see cref="CheckpointOptions.Rescue"/> goes on from the last finite checkpoint with only the learning
/// rate changed, records the rescue, and is refused without a recorded stop or with any other change.
/// </summary>
[Collection(DeterminismCollection.Name)]
public sealed class RescueTests : IDisposable
{
    /// <summary>The stopped run's rate (its divergence at step <see cref="NaNStep"/> is forced by <see cref="DivergeAt"/>) and the rescue's.</summary>
    private const double Huge = 0.05, Low = 1e-3;

    private const int NaNStep = 7, Every = 4;
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-rescue-").FullName;
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    private CheckpointOptions Checkpoint(bool rescue = false) => new() { Directory = _dir, EverySteps = Every, Rescue = rescue };

    private string StopRecord => Path.Combine(_dir, "nonfinite-stop.json");

    private TrainingResult Fit(double lr, bool rescue = false, TransformerConfig? config = null, bool diverge = false)
    {
        using var train = TestData.LetterCounting(96, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(30), Seed = 1, LearningRate = lr, Checkpoint = Checkpoint(rescue) };
        return new Trainer(options, algorithms: diverge ? [new DivergeAt(NaNStep)] : []).Fit(GrowableTransformer.Create(config ?? Config, 1), train, dev, SequenceObjective.TokenClassification);
    }

    private NonFiniteLossException StopOnNaN()
    {
        var act = () => Fit(Huge, diverge: true);
        var error = act.Should().Throw<NonFiniteLossException>().Which;
        error.Message.Should().Contain("rerun with --rescue and a lower --lr");
        File.Exists(StopRecord).Should().BeTrue("the stop is recorded in the checkpoint folder");
        return error;
    }

    [Fact]
    public void ARescueGoesOnFromTheLastFiniteCheckpointWithALowerRateAndIsRecorded()
    {
        var stop = StopOnNaN();
        var again = () => Fit(Huge, diverge: true);
        again.Should().Throw<NonFiniteLossException>("a plain resume at the same rate stops again");

        var result = Fit(Low, rescue: true);
        using var model = result.Model;
        result.Reason.Should().Be(StopReason.BudgetSpent);
        result.Meter.Steps.Should().Be(30);
        var rescue = result.Rescues.Should().ContainSingle().Which;
        stop.Step.Should().Be(NaNStep);
        long from = (NaNStep - 1) / Every * Every;
        rescue.Should().Be(new RescueEvent(from, stop.Step, Huge, Low));
        result.Log.Should().Contain(TrainingState.LogLine(from, rescue.Describe()));
        File.Exists(StopRecord).Should().BeFalse("the first checkpoint of the rescue supersedes the stop");

        using (var content = SafeTensorsFile.Load(Path.Combine(_dir, "last.safetensors")))
        {
            JsonSerializer.Deserialize<List<RescueEvent>>(content.Metadata["run/rescues"]).Should().Equal(rescue);
            content.Metadata["run/fingerprint"].Should().Contain("\"learningRate\":\"0.001\"", "the run goes on at the new rate");
        }

        // From now on the run is the rescued one: the new rate resumes, the old one is another run.
        using (var resumed = Fit(Low).Model) { }
        var old = () => Fit(Huge);
        old.Should().Throw<ResumeMismatchException>().Which.Differences.Should().ContainSingle().Which.Should().StartWith("learningRate:");
    }

    [Fact]
    public void ARescueThatChangesMoreThanTheRateIsRefusedNamingTheFields()
    {
        StopOnNaN();
        var wider = () => Fit(Low, rescue: true, Config with { DModel = 32, FeedForwardSize = 64 });
        var error = wider.Should().Throw<ResumeMismatchException>().Which;
        error.Message.Should().Contain("a rescue changes only the learning rate");
        error.Differences.Should().Contain(d => d.StartsWith("model.d_model: checkpoint 16, this run 32", StringComparison.Ordinal));
        error.Differences.Should().NotContain(d => d.StartsWith("learningRate", StringComparison.Ordinal));
        File.Exists(StopRecord).Should().BeTrue("a refused rescue leaves the stop for the next try");
    }

    [Fact]
    public void ARescueAtTheSameRateIsRefused()
    {
        StopOnNaN();
        var same = () => Fit(Huge, rescue: true);
        same.Should().Throw<RescueRefusedException>().WithMessage("Checkpoint '*last.safetensors': a rescue changes the learning rate, but this run's learningRate 0.05 is the checkpoint's*");
    }

    [Fact]
    public void ARescueWithoutANonFiniteStopIsRefused()
    {
        var none = () => Fit(Low, rescue: true);
        none.Should().Throw<RescueRefusedException>().WithMessage("*records no non-finite stop*nonfinite-stop.json*");

        using (var done = Fit(Low).Model) { }
        none.Should().Throw<RescueRefusedException>("a run that finished never stopped on a non-finite loss");
    }

    /// <summary>
    /// A divergence at a known step: at the start of <paramref name="step"/> the head bias becomes NaN, so that step's loss
    /// is NaN. A pure callback (no trait, no state): not part of the fingerprint, like a run's bad luck.
    /// </summary>
    private sealed class DivergeAt(long step) : TrainingCallback
    {
        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e != TrainingEvent.StepStart || state.Meter.Steps != step - 1) return;
            using var noGrad = TorchSharp.torch.no_grad();
            state.Transformer.named_parameters().Single(p => p.name == ParameterNames.HeadBias).parameter.fill_(double.NaN);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
