using System.Text.Json;
using Bus.Experiments.BusProtocol;
using Bus.Experiments.Study;

namespace Bus.Experiments.Tests;

/// <summary>
/// The experiment options hold the full model as one <see cref="TransformerConfig"/>; result files written before that (flat DModel,
/// Layers, Heads, FfMultiplier keys; the study's family beside its comparison) still load into the same model.
/// </summary>
public sealed class OptionsModelJsonTests
{
    [Fact]
    public void LegacyComparisonKeysLoadIntoTheModel()
    {
        const string json = """{ "Task": "CharLm", "DModel": 128, "Layers": 4, "Heads": 4, "FfMultiplier": 3, "SequenceLength": 32 }""";
        var options = JsonSerializer.Deserialize<ComparisonOptions>(json, ResultJson.Options)!;
        (options.Model.DModel, options.Model.Layers, options.Model.Heads, options.Model.FeedForwardSize).Should().Be((128, 4, 4, 384));
        var full = EqualBudgetComparison.FullConfig(options);
        (full.MaxLength, full.Mode).Should().Be((32, ModelMode.Decoder), "the task sets length and mode");
    }

    [Fact]
    public void LegacyExperimentKeysLoadIntoTheModel()
    {
        const string json = """[{ "Options": { "Task": 0, "DModel": 32, "Heads": 2, "Layers": 3, "FfMultiplier": 4 } }]""";
        var options = JsonSerializer.Deserialize<List<BusExperimentResult>>(json, ResultJson.Options)![0].Options;
        (options.Model.DModel, options.Model.Layers, options.Model.Heads, options.Model.FeedForwardSize).Should().Be((32, 3, 2, 128));
        var (small, large) = BusExperiment.Configs(options);
        (small.DModel, small.FeedForwardSize, large.DModel, large.FeedForwardSize).Should().Be((16, 64, 32, 128));
    }

    [Fact]
    public void LegacyStudyFamilyLoadsIntoTheModel()
    {
        const string json = """{ "Comparison": { "Task": "CharLm", "DModel": 16, "Layers": 2, "Heads": 2 }, "Architecture": "Llama" }""";
        var options = JsonSerializer.Deserialize<StudyOptions>(json, ResultJson.Options)!;
        (options.Comparison.Model.Architecture, options.Comparison.Model.DModel).Should().Be((ModelArchitecture.Llama, 16));
        StudyRunner.FullConfig(options).Architecture.Should().Be(ModelArchitecture.Llama);
    }

    [Fact]
    public void NewFilesWriteTheModelOnceAndRoundTrip()
    {
        var options = StudyOptions.Tiny.InFamily(ModelArchitecture.Llama);
        string json = JsonSerializer.Serialize(options, ResultJson.Options);
        json.Should().NotContain("\"FfMultiplier\"");
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.TryGetProperty("Architecture", out _).Should().BeFalse("the family lives in Comparison.Model");
        doc.RootElement.GetProperty("Comparison").TryGetProperty("DModel", out _).Should().BeFalse("the width lives in Model");
        var back = JsonSerializer.Deserialize<StudyOptions>(json, ResultJson.Options)!;
        back.Comparison.Model.Should().Be(options.Comparison.Model);
        JsonSerializer.Serialize(back, ResultJson.Options).Should().Be(json);
    }

    [Theory]
    [InlineData(15, 60, "DModel", "15")]
    [InlineData(16, 63, "FeedForwardSize", "63")]
    public void AModelThatCannotBeHalvedIsRefusedNamingItsProperty(int d, int ff, string property, string value)
    {
        var comparison = () => new ComparisonOptions { Model = new() { DModel = d, FeedForwardSize = ff } };
        comparison.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == property && e.Message.Contains(value));
        var experiment = () => new BusExperimentOptions { Model = new() { DModel = d, FeedForwardSize = ff } };
        experiment.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == property && e.Message.Contains(value));
    }
}
