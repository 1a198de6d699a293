using Bus.Optimizers;

namespace Bus.Growth.Tests;

public class MomentMapperTests
{
    private static readonly FunctionPreservingWidth RoundRobin = new(new() { Mapping = UnitMapping.RoundRobin });

    private static void TakeSteps(GrowableTransformer model, optim.Optimizer optimizer, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            using var scope = NewDisposeScope();
            model.train();
            var output = model.forward(TinyModels.Tokens(model.Config, i));
            output.square().mean().backward();
            optimizer.step();
        }
    }

    [Fact]
    public void AdamWMomentsAreMappedWithTheOperatorsRuleAndStepIsKept()
    {
        var small = TinyModels.Config(8, 2, 12);
        var big = TinyModels.Config(16, 2, 24);
        using var source = TinyModels.Random(small, 1);
        using var smallOptimizer = optim.AdamW(source.parameters(), 1e-3);
        TakeSteps(source, smallOptimizer, 3);
        var context = new GrowthContext(5);
        using var grown = RoundRobin.Grow(source, big, context);
        using var grownOptimizer = optim.AdamW(grown.parameters(), 1e-3);

        MomentMapper.Map(smallOptimizer, source, grownOptimizer, grown, GrowthPlan.Create(RoundRobin, small, big), context);

        var smallStates = MomentMapper.StatesByName(smallOptimizer, source);
        var grownStates = MomentMapper.StatesByName(grownOptimizer, grown);
        var m = smallStates.ToDictionary(s => s.Key, s => MomentMapper.StateTensor(s.Value, "exp_avg")!);
        var v = smallStates.ToDictionary(s => s.Key, s => MomentMapper.StateTensor(s.Value, "exp_avg_sq")!);
        foreach (var (name, state) in grownStates)
        {
            MomentMapper.GetStep(state).Should().Be(3, name);
            // By hand, every entry: round-robin doubling, so grown index j of a residual or d_ff axis copies j mod n; the
            // attention axis (2 heads, head_dim 4 -> 8) maps (h, i) to (h, i mod 4). Per grown parameter the first-moment
            // factor is 1/2 for each copied grown axis, 1 for a split (read) or unchanged axis, and 1/sqrt(2) for q rows
            // (copied with weight factor sqrt(8/4)/2: 1 / (2 * sqrt(2)/2)). Second moments use the squared factor.
            var (rows, cols, factor) = HandRule(name);
            var smallM = m[name].to_type(float64).data<double>().ToArray();
            var smallV = v[name].to_type(float64).data<double>().ToArray();
            var grownM = MomentMapper.StateTensor(state, "exp_avg")!.to_type(float64).data<double>().ToArray();
            var grownV = MomentMapper.StateTensor(state, "exp_avg_sq")!.to_type(float64).data<double>().ToArray();
            int smallCols = cols?.Small ?? 1, bigCols = cols?.Big ?? 1;
            for (int r = 0; r < rows.Big; r++)
                for (int c = 0; c < bigCols; c++)
                {
                    int at = rows.Map(r) * smallCols + (cols?.Map(c) ?? 0);
                    grownM[r * bigCols + c].Should().BeApproximately(smallM[at] * factor, 1e-6 * Math.Abs(smallM[at]) + 1e-30, name);
                    grownV[r * bigCols + c].Should().BeApproximately(smallV[at] * factor * factor, 1e-6 * Math.Abs(smallV[at]) + 1e-30,
                        name);
                }
        }
        // By hand (d_model 8 -> 16, d_ff 12 -> 24, two copies of everything): a copied axis with c copies scales a
        // gradient by 1/c, a split axis (weight factor 1/c) leaves it unchanged. fc2 [d, d_ff] writes the residual
        // (copied rows) and reads d_ff (split columns): first moment / 2. fc1 [d_ff, d] copies d_ff rows and splits
        // residual columns: first moment / 2, second moment / 4.
        var fc2 = MomentMapper.StateTensor(grownStates["blocks.0.mlp.fc2.weight"], "exp_avg")!;
        TinyModels.MaxDifference(fc2[9, 13], m["blocks.0.mlp.fc2.weight"][1, 1] / 2).Should().BeLessThan(1e-12);
        var fc1 = MomentMapper.StateTensor(grownStates["blocks.0.mlp.fc1.weight"], "exp_avg_sq")!;
        TinyModels.MaxDifference(fc1[13, 3], v["blocks.0.mlp.fc1.weight"][1, 3] / 4).Should().BeLessThan(1e-12);
    }

    private sealed record Axis(int Small, int Big, Func<int, int> Map);

    /// <summary>Hand-written mapping of <see cref="AdamWMomentsAreMappedWithTheOperatorsRuleAndStepIsKept"/>'s shapes (d 8 -> 16, 2 heads,
    /// d_ff 12 -> 24).</summary>
    private static (Axis Rows, Axis? Cols, double Factor) HandRule(string name)
    {
        var residual = new Axis(8, 16, j => j % 8);
        var ffn = new Axis(12, 24, j => j % 12);
        var attention = new Axis(8, 16, u => u / 8 * 4 + u % 8 % 4);
        Axis Fixed(int n) => new(n, n, j => j);
        string suffix = name.StartsWith("blocks.") ? name[(name.IndexOf('.', 7) + 1)..] : name;
        return suffix switch
        {
            "tok_emb.weight" => (Fixed(11), residual, 0.5),
            "pos_emb.weight" => (Fixed(8), residual, 0.5),
            "ln1.weight" or "ln1.bias" or "ln2.weight" or "ln2.bias" or "ln_f.weight" or "ln_f.bias" => (residual, null, 0.5),
            "attn.q.weight" => (attention, residual, 1 / Math.Sqrt(2)),
            "attn.q.bias" => (attention, null, 1 / Math.Sqrt(2)),
            "attn.k.weight" or "attn.v.weight" => (attention, residual, 0.5),
            "attn.k.bias" or "attn.v.bias" => (attention, null, 0.5),
            "attn.o.weight" => (residual, attention, 0.5),
            "attn.o.bias" or "mlp.fc2.bias" => (residual, null, 0.5),
            "mlp.fc1.weight" => (ffn, residual, 0.5),
            "mlp.fc1.bias" => (ffn, null, 0.5),
            "mlp.fc2.weight" => (residual, ffn, 0.5),
            "head.weight" => (Fixed(3), residual, 1),
            "head.bias" => (Fixed(3), null, 1),
            _ => throw new ArgumentException(name),
        };
    }

    [Fact]
    public void LionMomentumIsCopiedByBlockForDepthGrowth()
    {
        var small = TinyModels.Config(8, 2, 12, layers: 2);
        var big = small with { Layers = 4 };
        using var source = TinyModels.Random(small, 1);
        using var smallOptimizer = new Lion(source.parameters());
        TakeSteps(source, smallOptimizer, 2);
        var op = new StackingDepthGrowth();
        var context = new GrowthContext(0);
        using var grown = op.Grow(source, big, context);
        using var grownOptimizer = new Lion(grown.parameters());
        MomentMapper.Map(smallOptimizer, source, grownOptimizer, grown, GrowthPlan.Create(op, small, big), context);
        var s = MomentMapper.StatesByName(smallOptimizer, source);
        var g = MomentMapper.StatesByName(grownOptimizer, grown);
        var copied = MomentMapper.StateTensor(g["blocks.3.attn.k.weight"], "exp_avg")!;
        copied.abs().max().item<float>().Should().BeGreaterThan(0);
        TinyModels.MaxDifference(copied, MomentMapper.StateTensor(s["blocks.1.attn.k.weight"], "exp_avg")!).Should().Be(0);
    }

    public static TheoryData<OptimizerStatePolicy> Policies => new() { OptimizerStatePolicy.Reset, OptimizerStatePolicy.MapMoments };

    [Theory, MemberData(nameof(Policies))]
    public void GrowthScheduleResetsOrMapsTheOptimizerState(OptimizerStatePolicy policy)
    {
        var small = TinyModels.Config(8, 2, 16, layers: 1);
        var big = TinyModels.Config(16, 2, 32, layers: 1);
        var schedule = new GrowthSchedule(small, [new GrowthStage(GrowthTrigger.AtStep(3), big, RoundRobin)], seed: 1, policy: policy);
        var probe = new Probe();
        using var train = Data(256, 1);
        using var dev = Data(64, 2);
        var options = new TrainerOptions { BatchSize = 32, Budget = Budget.Steps(4), LearningRate = 1e-3, Seed = 3 };
        var result = new Trainer(options, algorithms: [probe, schedule]).Fit(GrowableTransformer.Create(small, 1), train, dev,
            SequenceObjective.TokenClassification);
        result.Model.Dispose();

        probe.Steps.Should().NotBeNull();
        if (policy == OptimizerStatePolicy.Reset)
        {
            probe.Steps.Should().OnlyContain(s => s == 0);
            probe.MaxMoment.Should().Be(0);
        }
        else
        {
            probe.Steps.Should().OnlyContain(s => s == 3);
            probe.MaxMoment.Should().BeGreaterThan(0);
        }
    }

    [Fact]
    public void MapMomentsNeedsAMappingOperator()
    {
        var small = TinyModels.Config(8, 2, 16);
        var act = () => new GrowthSchedule(small, [new GrowthStage(GrowthTrigger.AtStep(3), small with { DModel = 16 },
            new SpectralGrowth())], policy: OptimizerStatePolicy.MapMoments);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "policy" && e.Message.Contains("spectral"));
    }

    /// <summary>Looks at the optimizer right after growth (StepEnd runs algorithms in reverse, so after the schedule).</summary>
    private sealed class Probe : TrainingCallback
    {
        private int _dModel;
        public long[]? Steps { get; private set; }
        public double MaxMoment { get; private set; }

        public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent != TrainingEvent.StepEnd || Steps is not null) return;
            if (_dModel == 0) _dModel = state.Transformer.Config.DModel;
            if (state.Transformer.Config.DModel == _dModel) return;
            var states = MomentMapper.StatesByName(state.Optimizer, state.Transformer).Values.ToList();
            Steps = states.Select(MomentMapper.GetStep).ToArray();
            MaxMoment = states.Max(s => MomentMapper.StateTensor(s, "exp_avg")!.abs().max().item<float>());
        }
    }

    private static SequenceDataset Data(int count, int seed)
    {
        var rng = new Random(seed);
        var x = new long[count * 8];
        var y = new long[count * 8];
        for (int n = 0; n < count; n++)
        {
            var seen = new int[11];
            for (int t = 0; t < 8; t++)
            {
                int c = rng.Next(6);
                x[n * 8 + t] = c;
                y[n * 8 + t] = Math.Min(seen[c]++, 2);
            }
        }
        return new SequenceDataset(tensor(x, [count, 8], int64), tensor(y, [count, 8], int64));
    }
}
