namespace Bus.Growth.Tests.Contract;

/// <summary>A growth is validated once, when its plan is made; the plan then grows and maps moments without checking the shapes
/// again.</summary>
[Collection(Masked.TrainingCollection.Name)]
public class GrowthPlanTests
{
    private static readonly TransformerConfig Small = new() { VocabSize = 27, MaxLength = 10, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1, Classes = 3 };
    private static readonly TransformerConfig Big = Small with { DModel = 16, FeedForwardSize = 32, Heads = 2 };

    [Fact]
    public void AScheduleValidatesEachStageOnceAndGrowingWithMomentMappingDoesNotValidateAgain()
    {
        var op = new CountingOperator(new HyperCloning());
        var schedule = new GrowthSchedule(Small, [new GrowthStage(GrowthTrigger.AtStep(5), Big, op)],
            policy: OptimizerStatePolicy.MapMoments);
        op.Validations.Should().Be(1);

        var (train, dev) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice()[..20_000], windowLength: 10, devFraction: 0.1);
        using (train) using (dev)
        {
            var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(8), Seed = 1 };
            using var model = new Trainer(options, algorithms: [schedule]).Fit(GrowableTransformer.Create(Small, 1), train, dev,
                SequenceObjective.TokenClassification).Module;
        }
        op.Validations.Should().Be(1, "the plan made when the schedule was built is the one used at growth");
        op.Grows.Should().Be(1);
        op.MomentMaps.Should().Be(2, "exp_avg and exp_avg_sq, one pass each");
    }

    [Fact]
    public void APlanRefusesAnotherOperatorAndTensorsThatDoNotFitTheLayout()
    {
        var plan = GrowthPlan.Create(new HyperCloning(), Small, Big);
        plan.From.Should().Be(ModelShape.From(Small));
        plan.To.Should().Be(ModelShape.From(Big));
        using var source = TinyModels.Random(Small, 1);
        var weights = source.CloneWeights();
        var other = () => new HyperCloning().Grow(plan, weights, new GrowthContext(0));
        other.Should().Throw<ArgumentException>().WithMessage("*made for operator 'hypercloning', not 'hypercloning'*");
        weights.Remove("head.bias", out var removed);
        removed!.Dispose();
        var missing = () => plan.Grow(weights, new GrowthContext(0));
        missing.Should().Throw<ArgumentException>().WithMessage("*'head.bias'*missing*");
        var noMoments = () => GrowthPlan.Create(new BusIdentityExpansion(), Small, Big with { Heads = 1 }).MapMoments(weights,
            MomentKind.First, new GrowthContext(0));
        noMoments.Should().Throw<NotSupportedException>().WithMessage("*'bus-identity' cannot map optimizer moments*");
        foreach (var t in weights.Values) t.Dispose();
    }

    [Fact]
    public void PlansOfAnotherFamilyOrAShrinkingShapeAreRefused()
    {
        var family = () => GrowthPlan.Create(new HyperCloning(), Small, Big with { Mode = ModelMode.Decoder });
        family.Should().Throw<ArgumentException>().WithMessage("*Mode differs*");
        var shrink = () => GrowthPlan.Create(new HyperCloning(), Big, Small);
        shrink.Should().Throw<ArgumentException>().WithMessage("*cannot shrink*");
    }

    /// <summary>Counts the contract's calls and delegates to another operator.</summary>
    private sealed class CountingOperator(IGrowthOperator inner) : IGrowthOperator
    {
        public int Validations { get; private set; }
        public int Grows { get; private set; }
        public int MomentMaps { get; private set; }
        public string Name => "counting";
        public bool MapsMoments => true;

        public void Validate(ModelLayout layout, ModelShape from, ModelShape to)
        {
            Validations++;
            inner.Validate(layout, from, to);
        }

        public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
        {
            Grows++;
            return inner.Grow(weights, plan.Layout, plan.From, plan.To, context);
        }

        public Dictionary<string, Tensor> MapMoments(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> moments, MomentKind kind,
            GrowthContext context)
        {
            MomentMaps++;
            return inner.MapMoments(moments, kind, plan.Layout, plan.From, plan.To, context);
        }
    }
}
