namespace Bus.Core.Tests.Training;

/// <summary>
/// Resume safety (issue 12, items 1 and 3): a checkpoint of another run is refused naming the differing fields; a
/// checkpoint folder is locked while a run uses it; every restored entry is validated in C# before native code sees it.
/// </summary>
[Collection(DeterminismCollection.Name)]
public sealed class ResumeGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-resume-guard-").FullName;
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    private CheckpointOptions Checkpoint => new() { Directory = _dir, EverySteps = 2 };

    private TrainingResult Run(TransformerConfig config, TrainerOptions? options = null)
    {
        using var train = TestData.LetterCounting(96, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        options ??= new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(4), Seed = 1, Checkpoint = Checkpoint };
        return new Trainer(options).Fit(GrowableTransformer.Create(config, 1), train, dev, SequenceObjective.TokenClassification);
    }

    [Fact]
    public void AnotherModelShapeIsRefusedNamingTheFields()
    {
        Run(Config).Model.Dispose();
        var act = () => Run(Config with { DModel = 32, FeedForwardSize = 64 });
        var error = act.Should().Throw<ResumeMismatchException>().Which;
        error.Differences.Should().Contain(d => d.StartsWith("model.d_model: checkpoint 16, this run 32", StringComparison.Ordinal));
        error.Differences.Should().Contain(d => d.StartsWith("model.d_ff: checkpoint 32, this run 64", StringComparison.Ordinal));
        error.Message.Should().Contain(Checkpoint.LastPath);
    }

    [Fact]
    public void AnotherLearningRateOrDatasetIsRefused()
    {
        Run(Config).Model.Dispose();
        var lr = () => Run(Config, new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(4), Seed = 1, LearningRate = 5e-3, Checkpoint = Checkpoint });
        lr.Should().Throw<ResumeMismatchException>().Which.Differences.Should().ContainSingle().Which.Should().StartWith("learningRate: checkpoint 0.001, this run 0.005");

        using var train = TestData.LetterCounting(96, 12, seed: 5);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        var data = () => new Trainer(new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(4), Seed = 1, Checkpoint = Checkpoint })
            .Fit(GrowableTransformer.Create(Config, 1), train, dev, SequenceObjective.TokenClassification);
        data.Should().Throw<ResumeMismatchException>().Which.Differences.Should().ContainSingle().Which.Should().StartWith("data.train:");
    }

    [Fact]
    public void TheSameRequestResumes()
    {
        Run(Config).Model.Dispose();
        using var again = Run(Config, new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(4), Seed = 1, Checkpoint = Checkpoint }).Model;
        File.Exists(Path.Combine(_dir, ".lock.owner")).Should().BeFalse("the lock is released when Fit ends");
        using (CheckpointLock.Acquire(_dir)) { } // free: taken and released at once
    }

    [Fact]
    public void ALockedFolderIsRefusedNamingTheHoldersPid()
    {
        using (CheckpointLock.Acquire(_dir))
        {
            var act = () => Run(Config);
            act.Should().Throw<CheckpointLockedException>().WithMessage($"*pid {Environment.ProcessId} on *");
        }

        Run(Config).Model.Dispose(); // released: the next run takes it
    }

    /// <summary>
    /// Issue 23: Dispose used to delete <c>.lock</c> before releasing it, so a second run could create and lock a new
    /// <c>.lock</c> while the first still held the old one. At every step of the release at most one holder exists, the
    /// lock file keeps its identity, and the next holder's owner line is never removed by the previous holder.
    /// </summary>
    [Fact]
    public void ReleasingNeverLetsTwoHoldersIn()
    {
        string lockPath = Path.Combine(_dir, ".lock"), ownerPath = Path.Combine(_dir, ".lock.owner");
        var first = CheckpointLock.Acquire(_dir);
        var steps = new List<string>();
        CheckpointLock? second = null;
        first.ReleaseStep = step =>
        {
            steps.Add(step);
            if (step == "owner removed")
            {
                File.Exists(ownerPath).Should().BeFalse();
                File.Exists(lockPath).Should().BeTrue("the lock file is never deleted");
                var grab = () => CheckpointLock.Acquire(_dir);
                grab.Should().Throw<CheckpointLockedException>("the first holder still holds the lock");
            }
            else
            {
                second = CheckpointLock.Acquire(_dir); // free now: exactly one new holder
                var third = () => CheckpointLock.Acquire(_dir);
                third.Should().Throw<CheckpointLockedException>("the second holder holds the one lock file");
            }
        };
        first.Dispose();
        steps.Should().Equal("owner removed", "released");
        second.Should().NotBeNull();
        File.Exists(ownerPath).Should().BeTrue("the first holder's release happened before the second took the lock and never touches its owner line");
        File.ReadAllText(ownerPath).Should().Contain($"pid {Environment.ProcessId}");
        first.Dispose(); // idempotent: does not release or remove anything of the second holder
        File.Exists(ownerPath).Should().BeTrue();
        var fourth = () => CheckpointLock.Acquire(_dir);
        fourth.Should().Throw<CheckpointLockedException>();
        second!.Dispose();
        using (CheckpointLock.Acquire(_dir)) { }
    }

    [Fact]
    public void AStaleLockAndOrphanTempFilesAreCleanedUp()
    {
        File.WriteAllText(Path.Combine(_dir, ".lock.owner"), "pid 999999 on elsewhere since 2026-01-01");
        File.WriteAllText(Path.Combine(_dir, ".last.safetensors.0123456789abcdef.tmp"), "half-written");
        var result = Run(Config);
        result.Model.Dispose();
        result.Log.Should().Contain(l => l.Contains("took over the stale lock") && l.Contains("pid 999999"));
        Directory.GetFiles(_dir, "*.tmp").Should().BeEmpty();
    }

    /// <summary>
    /// Entry, its rewritten value, the reason the message must give ("" for any). Entries rewritten with a valid checksum but an
    /// impossible value: the restore names the entry, native code never sees it. Issue 23: a bad <c>growths</c> entry passed the
    /// load and threw NullReferenceException at the next checkpoint write, on every resume; each is refused at load, naming the
    /// entry and the growth.
    /// </summary>
    public static TheoryData<string, string, string> InvalidEntries => new()
    {
        { "rng/torch", "left0", "" },
        { "rng/torch", "next", "" },
        { "rng/torch", "short", "" },
        { "sampler", "1e12", "" },
        { "sampler", "duplicate", "" },
        { "meter", "[-50,0,0,0,0,0,0]", "" },
        { "meter", "[1e30,0,0,0,0,0,0]", "" },
        { "meter", "[1.5,0,0,0,0,0,0]", "" },
        { "loop", "[0,-1,0,0]", "" },
        { "rng/bus", "1,2,x,4", "" },
        { "optimizer", "truncate", "" },
        { "history", "{", "" },
        { "growths", "[{}]", "growth 1 of 1 has stage 0, expected 1" },
        { "growths", "[null]", "growth 1 of 1 is null" },
        { "growths", "[{\"Stage\":1,\"Operator\":\"bus-identity\"}]", "growth 1 of 1 has no 'from' shape" },
        {
            "growths", "[{\"Stage\":1,\"Operator\":\"x\",\"From\":{},\"To\":{},\"Before\":{\"Step\":1}}]",
            "growth 1 of 1 has no 'after' evaluation"
        },
        {
            "growths", "[{\"Stage\":1,\"Operator\":\"x\",\"From\":{},\"To\":{},\"Before\":{\"Step\":9},\"After\":{\"Step\":9}}]",
            "growth 1 of 1 is at step 9, outside 0..4*"
        },
        { "growths", "null", "null" },
    };

    [Theory]
    [MemberData(nameof(InvalidEntries))]
    public void AnInvalidEntryIsRefusedNamingIt(string entry, string corruption, string reason)
    {
        Run(Config).Model.Dispose();
        Rewrite(Checkpoint.LastPath, entry, corruption);
        var act = () => Run(Config);
        string why = reason.Length == 0 ? "*" : $" ({reason})*";
        act.Should().Throw<InvalidDataException>().WithMessage($"Checkpoint '{Checkpoint.LastPath}': entry '{entry}' is invalid{why}")
            .Which.Message.Should().MatchRegex(@"^[\x20-\x7E]+$", "messages never hold binary data");
    }

    /// <summary>Issue 23: a weight retyped F32 -> I32 (valid checksum) used to load (copy_ converts) and train.</summary>
    [Fact]
    public void ARetypedWeightIsRefusedNamingTheTensorAndBothDTypes()
    {
        Run(Config).Model.Dispose();
        string weight = Retype(Checkpoint.LastPath, ScalarType.Int32);
        var act = () => Run(Config);
        act.Should().Throw<InvalidDataException>()
            .WithMessage($"Checkpoint '{Checkpoint.LastPath}': entry '{weight}' is invalid (dtype I32; the model parameter's is F32).");
    }

    /// <summary>Issue 23: a step count past the run's budget (4 steps) was accepted.</summary>
    [Fact]
    public void AStepCountPastTheBudgetIsRefusedNamingBothValues()
    {
        Run(Config).Model.Dispose();
        Rewrite(Checkpoint.LastPath, "meter", "[999,0,0,0,0,0,0]");
        var act = () => Run(Config);
        act.Should().Throw<InvalidDataException>()
            .WithMessage($"Checkpoint '{Checkpoint.LastPath}': entry 'meter' is invalid (steps 999 is past the run's budget of 4 Steps (4 steps at most)).");
    }

    /// <summary>A budget in epochs: the last step a run takes (the first at or past the budget) is accepted, one more is not.</summary>
    [Fact]
    public void AnEpochBudgetAllowsExactlyTheStepsARunTakes()
    {
        var meter = new BudgetMeter(Budget.Epochs(1.5), stepsPerEpoch: 3);
        meter.MaxSteps.Should().Be(5, "4.5 steps: the run stops at step 5");
        meter.RequireWithinBudget(5);
        var act = () => meter.RequireWithinBudget(6);
        act.Should().Throw<InvalidDataException>().WithMessage("steps 6 is past the run's budget of 1.5 Epochs (5 steps at most)");
        new BudgetMeter(Budget.Epochs(2), stepsPerEpoch: 3).MaxSteps.Should().Be(6);
    }

    /// <summary>Retypes the first model weight of the checkpoint (valid checksum); returns its entry name.</summary>
    private static string Retype(string path, ScalarType type)
    {
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        using (var content = SafeTensorsFile.Load(path))
        {
            tensors = content.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
            metadata = content.Metadata.Where(kv => kv.Key != "bus.sha256").ToDictionary();
        }

        string weight = tensors.Keys.Where(k => k.StartsWith("model/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
        tensors[weight] = tensors[weight].to(type);
        SafeTensorsFile.Save(path, tensors, metadata, checksum: true);
        foreach (var t in tensors.Values) t.Dispose();
        return weight;
    }

    private static void Rewrite(string path, string entry, string corruption)
    {
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        using (var content = SafeTensorsFile.Load(path))
        {
            tensors = content.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
            metadata = content.Metadata.Where(kv => kv.Key != "bus.sha256").ToDictionary();
        }

        switch (entry, corruption)
        {
            case ("rng/torch", "short"):
                tensors[entry] = tensors[entry].narrow(0, 0, 100);
                break;
            case ("rng/torch", _):
                var bytes = tensors[entry].data<byte>().ToArray();
                if (corruption == "left0") BitConverter.GetBytes(0).CopyTo(bytes, 8);
                else BitConverter.GetBytes(100_000UL).CopyTo(bytes, 16);
                tensors[entry] = tensor(bytes, dtype: ScalarType.Byte);
                break;
            case ("sampler", _):
                var state = tensors[entry].data<long>().ToArray();
                if (corruption == "1e12") state[3] = 1_000_000_000_000; else state[1] = state[0];
                tensors[entry] = tensor(state);
                break;
            case ("optimizer", _):
                tensors[entry] = tensors[entry].narrow(0, 0, tensors[entry].shape[0] / 2);
                break;
            default:
                metadata[entry] = corruption;
                break;
        }

        SafeTensorsFile.Save(path, tensors, metadata, checksum: true);
        foreach (var t in tensors.Values) t.Dispose();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
