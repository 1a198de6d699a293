using System.Reflection;

namespace Bus.Optimizers.Tests;

public class LionTests
{
    private static readonly double[] W0 = [1, -2, 0.5];
    private static readonly double[] G1 = [0.5, -1, 0];
    private static readonly double[] G2 = [-2, 0.5, 0.1];

    private static Parameter Param(params double[] values) => new(tensor(values, dtype: float64));

    private static void SetGrad(Parameter p, double[] g)
    {
        // d/dw sum(w * g) = g
        p.grad?.zero_();
        using var loss = (p * tensor(g, dtype: float64)).sum();
        loss.backward();
    }

    private static double[] Values(Tensor t) => t.detach().cpu().data<double>().ToArray();

    private static Tensor Momentum(Lion opt) => ((Lion.State)opt.state_dict().State.Single()).exp_avg;

    // Research note (c): beta=(0.9,0.99), lr=0.1, w0=[1,-2,0.5], g1=[0.5,-1,0], g2=[-2,0.5,0.1].
    [Theory]
    [InlineData(0.0, new[] { 0.9, -1.9, 0.5 }, new[] { 1.0, -2.0, 0.4 })]
    [InlineData(0.1, new[] { 0.89, -1.88, 0.495 }, new[] { 0.9811, -1.9612, 0.39005 })]
    public void MatchesHandDerivedVectors(double wd, double[] w1, double[] w2)
    {
        var w = Param(W0);
        using var opt = new Lion([w], lr: 0.1, beta1: 0.9, beta2: 0.99, weight_decay: wd);

        SetGrad(w, G1);
        opt.step();
        Values(w).Should().BeEquivalentTo(w1, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
        Values(Momentum(opt)).Should().BeEquivalentTo(new[] { 0.005, -0.01, 0 }, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
        Values(w)[2].Should().Be(0.5 * (1 - 0.1 * wd), "sign(0) = 0: c1[2] = 0 leaves w[2] changed only by decay");

        SetGrad(w, G2);
        opt.step();
        Values(w).Should().BeEquivalentTo(w2, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
        Values(Momentum(opt)).Should().BeEquivalentTo(new[] { -0.01505, -0.0049, 0.001 }, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
    }

    [Fact]
    public void StepMagnitudeIsLrElementwiseWithoutDecay()
    {
        torch.manual_seed(1);
        var w = new Parameter(randn(64, dtype: float64));
        using var opt = new Lion([w], lr: 0.01);
        for (var step = 0; step < 3; step++)
        {
            using var g = randn(64, dtype: float64);
            var before = Values(w);
            SetGrad(w, Values(g));
            opt.step();
            var after = Values(w);
            for (var i = 0; i < before.Length; i++)
                Math.Abs(after[i] - before[i]).Should().BeApproximately(0.01, 1e-12);
        }
    }

    [Fact]
    public void HoldsExactlyOneStateTensorPerParameterWhereAdamWHoldsTwo()
    {
        using var model = nn.Linear(4, 3);
        var ps = model.parameters().ToList();
        using var lion = new Lion(ps);
        using var adamw = torch.optim.AdamW(ps);

        lion.state_dict().State.Should().HaveCount(2).And.OnlyContain(s => TensorFieldCount(s) == 1);
        adamw.state_dict().State.Should().HaveCount(2).And.OnlyContain(s => TensorFieldCount(s) == 2);
    }

    private static int TensorFieldCount(object state)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var t = state.GetType();
        var fields = t.GetFields(flags).Where(f => typeof(Tensor).IsAssignableFrom(f.FieldType) && f.Name != "_parameter").Select(f => f.GetValue(state));
        var props = t.GetProperties(flags).Where(p => typeof(Tensor).IsAssignableFrom(p.PropertyType) && p.GetIndexParameters().Length == 0).Select(p => p.GetValue(state));
        // Auto-properties appear as backing fields too; count distinct non-null tensors.
        return fields.Concat(props).OfType<Tensor>().Distinct().Count();
    }

    [Fact]
    public void SkipsParametersWithoutGradient()
    {
        var a = Param(1, 2);
        var b = Param(3, 4);
        using var opt = new Lion([a, b], lr: 0.1, weight_decay: 0.5);
        SetGrad(a, [1, -1]);
        opt.step();
        Values(a).Should().NotEqual(new double[] { 1, 2 });
        Values(b).Should().Equal(3, 4);
    }

    [Fact]
    public void MatchesOptaxDocstringExample()
    {
        var x = Param(1, 2, 3);
        using var opt = new Lion([x], lr: 0.003, weight_decay: 1e-3);
        var expected = new[] { 13.9639, 13.9279, 13.8920, 13.8561, 13.8203 };
        foreach (var f in expected)
        {
            opt.zero_grad();
            using (var loss = x.square().sum()) loss.backward();
            opt.step();
            using var after = x.square().sum();
            after.item<double>().Should().BeApproximately(f, 1e-4);
        }
    }

    private static Sequential Model(long seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(("l1", nn.Linear(5, 7)), ("act", nn.Tanh()), ("l2", nn.Linear(7, 2)));
    }

    private static void Train(Sequential model, Lion opt, int fromStep, int steps)
    {
        for (var s = fromStep; s < fromStep + steps; s++)
        {
            using var scope = NewDisposeScope();
            var gen = new Generator((ulong)(1000 + s));
            var x = randn(new long[] { 8, 5 }, generator: gen);
            var y = randn(new long[] { 8, 2 }, generator: gen);
            opt.zero_grad();
            nn.functional.mse_loss(model.forward(x), y).backward();
            opt.step();
        }
    }

    private static void CopyWeights(nn.Module from, nn.Module to)
    {
        using var _ = no_grad();
        foreach (var (src, dst) in from.parameters().Zip(to.parameters()))
            dst.copy_(src);
    }

    private static float[] Flat(nn.Module m) => m.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();

    [Fact]
    public void SaveLoadThroughStreamResumesBitwiseIdentically()
    {
        using var original = Model(7);
        using var opt = new Lion(original.parameters(), lr: 0.01, weight_decay: 0.1);
        Train(original, opt, 0, 5);

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            opt.save_state_dict(writer);

        using var resumed = Model(99);
        CopyWeights(original, resumed);
        using var fresh = Model(99);
        CopyWeights(original, fresh);
        using var resumedOpt = new Lion(resumed.parameters(), lr: 0.5);   // hyperparameters come from the stream
        using var freshOpt = new Lion(fresh.parameters(), lr: 0.01, weight_decay: 0.1);
        stream.Position = 0;
        using (var reader = new BinaryReader(stream))
            resumedOpt.load_state_dict(reader);

        resumedOpt.ParamGroups.Single().LearningRate.Should().Be(0.01);
        Train(original, opt, 5, 5);
        Train(resumed, resumedOpt, 5, 5);
        Train(fresh, freshOpt, 5, 5);

        Flat(resumed).Should().Equal(Flat(original));
        Flat(fresh).Should().NotEqual(Flat(original), "without the momentum the continuation differs");
    }

    [Fact]
    public void StateDictRoundTripResumesBitwiseIdentically()
    {
        using var original = Model(3);
        using var opt = new Lion(original.parameters(), lr: 0.01, beta1: 0.95, beta2: 0.98);
        Train(original, opt, 0, 5);

        using var resumed = Model(4);
        CopyWeights(original, resumed);
        using var resumedOpt = new Lion(resumed.parameters());
        resumedOpt.load_state_dict(opt.state_dict());
        resumedOpt.Betas.Should().Be((0.9, 0.99), "defaults are not group options");
        ((Lion.ParamGroup)resumedOpt.ParamGroups.Single()).Betas.Should().Be((0.95, 0.98));

        Train(original, opt, 5, 5);
        Train(resumed, resumedOpt, 5, 5);
        Flat(resumed).Should().Equal(Flat(original));
    }

    [Fact]
    public void LoadRejectsAnotherOptimizersStream()
    {
        using var model = Model(1);
        using var adamw = torch.optim.AdamW(model.parameters());
        using var lion = new Lion(model.parameters());
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            adamw.save_state_dict(writer);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var act = () => lion.load_state_dict(reader);
        act.Should().Throw<Exception>();
    }

    [Fact]
    public void StepLRChangesTheLearningRateActuallyUsed()
    {
        var w = Param(0, 0, 0);
        using var opt = new Lion([w], lr: 0.1);
        var scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size: 2, gamma: 0.5);
        var deltas = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var before = Values(w)[0];
            SetGrad(w, [1, 1, 1]);
            opt.step();
            scheduler.step();
            deltas.Add(before - Values(w)[0]);
        }
        deltas.Should().BeEquivalentTo(new[] { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025 }, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void LambdaLRScalesEachGroupFromItsInitialRate()
    {
        var a = Param(0);
        var b = Param(0);
        using var opt = new Lion([new Lion.ParamGroup([a], lr: 0.2), new Lion.ParamGroup([b], lr: 0.02, weight_decay: 0)], lr: 1);
        var scheduler = torch.optim.lr_scheduler.LambdaLR(opt, epoch => 1.0 / (epoch + 1));
        for (var i = 0; i < 3; i++)
        {
            SetGrad(a, [1]);
            SetGrad(b, [1]);
            opt.step();
            scheduler.step();
        }
        Values(a)[0].Should().BeApproximately(-0.2 * (1 + 1 / 2.0 + 1 / 3.0), 1e-12);
        Values(b)[0].Should().BeApproximately(-0.02 * (1 + 1 / 2.0 + 1 / 3.0), 1e-12);
    }

    [Fact]
    public void StepDoesNotLeakTensors()
    {
        using var model = Model(5);
        using var opt = new Lion(model.parameters(), lr: 0.01, weight_decay: 0.1);
        Train(model, opt, 0, 2);
        var stats = DisposeScopeManager.Statistics;
        var live = stats.ThreadTotalLiveCount;
        for (var i = 0; i < 5; i++) opt.step();
        stats.ThreadTotalLiveCount.Should().Be(live);
    }

    [Fact]
    public void ClosureLossIsReturned()
    {
        var x = Param(1, 2);
        using var opt = new Lion([x]);
        var loss = opt.step(() =>
        {
            opt.zero_grad();
            var l = x.square().sum();
            l.backward();
            return l;
        });
        loss.item<double>().Should().Be(5);
        loss.Dispose();
    }

    [Theory]
    [InlineData(-1e-3, 0.9, 0.99, 0.0, "lr")]
    [InlineData(double.NaN, 0.9, 0.99, 0.0, "lr")]
    [InlineData(double.PositiveInfinity, 0.9, 0.99, 0.0, "lr")]
    [InlineData(1e-4, 1.0, 0.99, 0.0, "beta1")]
    [InlineData(1e-4, -0.1, 0.99, 0.0, "beta1")]
    [InlineData(1e-4, double.NaN, 0.99, 0.0, "beta1")]
    [InlineData(1e-4, 0.9, 1.0, 0.0, "beta2")]
    [InlineData(1e-4, 0.9, double.NaN, 0.0, "beta2")]
    [InlineData(1e-4, 0.9, 0.99, -0.1, "weight_decay")]
    [InlineData(1e-4, 0.9, 0.99, double.NaN, "weight_decay")]
    public void InvalidOptionsThrowNamingTheParameter(double lr, double b1, double b2, double wd, string name)
    {
        var p = Param(1);
        var ctor = () => new Lion([p], lr, b1, b2, wd);
        ctor.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);

        var group = () => new Lion([new Lion.ParamGroup([p], lr, b1, b2, wd)]);
        group.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }

    [Fact]
    public void LionOptionsValidatesAndFeedsCreate()
    {
        var bad = () => new LionOptions { Beta2 = 1.5 };
        bad.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(LionOptions.Beta2));
        ((Func<LionOptions>)(() => LionOptions.Default with { LearningRate = double.NaN }))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(LionOptions.LearningRate));

        LionOptions.Default.Should().Be(new LionOptions { LearningRate = 1e-4, Beta1 = 0.9, Beta2 = 0.99, WeightDecay = 0 });

        var p = Param(1, 2);
        using var opt = Lion.Create([p], new LionOptions { LearningRate = 0.05, WeightDecay = 0.2 });
        var group = (Lion.ParamGroup)opt.ParamGroups.Single();
        group.LearningRate.Should().Be(0.05);
        group.Options.weight_decay.Should().Be(0.2);
        group.Betas.Should().Be((0.9, 0.99));
    }

    [Fact]
    public void RejectsAParameterInTwoGroups()
    {
        var p = Param(1);
        var act = () => new Lion([new Lion.ParamGroup([p]), new Lion.ParamGroup([p])]);
        act.Should().Throw<ArgumentException>();
    }
}
