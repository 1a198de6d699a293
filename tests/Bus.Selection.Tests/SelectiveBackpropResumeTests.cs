using Bus.Core.Checkpoints;

namespace Bus.Selection.Tests;

/// <summary>Selective backprop's loss history and queue survive a checkpoint: cancel + resume equals an uninterrupted run bit for bit.</summary>
[Collection(DeterminismCollection.Name)]
public sealed class SelectiveBackpropResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-sb-resume-").FullName;
    private static readonly TransformerConfig Config = TestData.Tiny with { Dropout = 0.1, Heads = 2 };

    private (TrainingResult Result, SelectiveBackpropSelector Selector) Run(string name, CancellationToken token = default, params ITrainingAlgorithm[] algorithms)
    {
        using var train = TestData.LetterCounting(160, 12, seed: 1);
        using var dev = TestData.LetterCounting(32, 12, seed: 2);
        var selector = new SelectiveBackpropSelector(new SelectiveBackpropOptions { PrimingEpochs = 0, HistoryLength = 100 });
        var options = new TrainerOptions
        {
            BatchSize = 16, Budget = Budget.Steps(24), Seed = 3,
            Checkpoint = new CheckpointOptions { Directory = Path.Combine(_dir, name), EverySteps = 5 },
        };
        var result = new Trainer(options, selector: selector, algorithms: algorithms)
            .Fit(GrowableTransformer.Create(Config, 3), train, dev, SequenceObjective.TokenClassification, cancellationToken: token);
        return (result, selector);
    }

    [Fact]
    public void ResumedSelectiveBackpropRunMatchesUninterruptedRunBitwise()
    {
        var (full, fullSelector) = Run("full");
        using var cts = new CancellationTokenSource();
        var (cut, cutSelector) = Run("cut", cts.Token, new CancelAt(13, cts));
        cut.Reason.Should().Be(StopReason.Cancelled);
        cutSelector.Scored.Should().BeGreaterThan(cutSelector.Kept, "the selector must actually drop examples for the test to mean anything");
        cut.Model.Dispose();

        var (resumed, resumedSelector) = Run("cut");
        // Cancellation writes a checkpoint at the step it finished (issue 12; before, the resume went back to step 10).
        resumed.Log.Should().Contain(l => l.Contains("resumed") && l.Contains("step 13"));
        resumedSelector.History.Values.Should().Equal(fullSelector.History.Values);
        resumedSelector.Queued.Should().Be(fullSelector.Queued);
        (resumedSelector.Scored, resumedSelector.Kept).Should().Be((fullSelector.Scored, fullSelector.Kept));
        foreach (var ((name, a), (_, b)) in full.Model.named_parameters().Zip(resumed.Model.named_parameters()))
            b.data<float>().ToArray().Should().Equal(a.data<float>().ToArray(), $"parameter {name} must match bit for bit");
        full.Model.Dispose();
        resumed.Model.Dispose();
    }

    [Fact]
    public void StateRoundTripsThroughCheckpointState()
    {
        var selector = new SelectiveBackpropSelector(new SelectiveBackpropOptions { HistoryLength = 8 });
        selector.History.AddRange([0.5, 1.5, double.Epsilon]);
        using var state = new CheckpointState();
        selector.SaveState(state);
        var restored = new SelectiveBackpropSelector(new SelectiveBackpropOptions { HistoryLength = 8 });
        restored.LoadState(state);
        restored.History.Values.Should().Equal(0.5, 1.5, double.Epsilon);
        restored.Queued.Should().Be(0);

        var small = new SelectiveBackpropSelector(new SelectiveBackpropOptions { HistoryLength = 2 });
        var act = () => small.LoadState(state);
        act.Should().Throw<InvalidDataException>().WithMessage("*capacity 2*");
    }

    private sealed class CancelAt(long step, CancellationTokenSource cts) : TrainingCallback
    {
        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e == TrainingEvent.StepEnd && state.Meter.Steps == step) cts.Cancel();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
