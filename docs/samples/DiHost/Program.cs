// Generic host: Bus components chosen by configuration (appsettings.json "Bus" section), validated at start.
using Bus.Core.Data;
using Bus.MLNet;
using Bus.MLNet.Components;
using Bus.MLNet.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.ML;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddBus();
builder.Services.Configure<BusOptions>(builder.Configuration.GetSection(BusOptions.SectionName));
using var host = builder.Build();
await host.StartAsync(); // throws OptionsValidationException naming the option when the configuration is invalid

var options = host.Services.GetRequiredService<IOptions<BusOptions>>().Value;
var components = host.Services.GetRequiredService<IBusComponents>();
Console.WriteLine($"optimizer '{options.Optimizer}' -> {components.GetOptimizer(options.Optimizer).GetType().Name}; growth '{options.GrowthOperator}' -> {components.GetGrowthOperator(options.GrowthOperator).GetType().Name}");

// Letter counting per character, as an ML.NET transform trained with the configured components.
var ml = new MLContext(seed: 1);
string text = BuiltInCorpus.BrownSlice();
var windows = Enumerable.Range(0, 300).Select(w => text.Substring(w * 20, 20))
    .Select(w => new Window { Text = w, Labels = LetterCounting.Labels(w).Select(l => (float)l).ToArray() }).ToList();
var model = ml.Transforms.BusPerCharacter(options: options.ToTrainerOptions(), components: components).Fit(ml.Data.LoadFromEnumerable(windows));
foreach (var line in model.Log) Console.WriteLine(line);
Console.WriteLine($"trained d_model {model.Config.DModel}, final dev accuracy {model.History[^1].DevMetric:F3}");
await host.StopAsync();
return model.Config.DModel == options.DModel ? 0 : 1;

public sealed class Window
{
    public string Text { get; set; } = "";

    [Microsoft.ML.Data.VectorType]
    public float[] Labels { get; set; } = [];
}
