// Generic host: Bus configured from appsettings.json ("Bus" section: every BusTrainerOptions knob), validated at
// start (unknown keys, values, component names, device, operator vs shapes), progress and growth events via ILogger.
using Bus.Core.Data;
using Bus.MLNet.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.ML;
using Bus.Core.Tasks.Corpora;
using Bus.Core.Tasks.LetterCounting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddBus(builder.Configuration);
using var host = builder.Build();
await host.StartAsync(); // throws OptionsValidationException naming the option when the configuration is invalid

var trainers = host.Services.GetRequiredService<BusTrainers>();
var options = trainers.Options;
var shape = options.Model;
Console.WriteLine($"optimizer '{options.Optimizer}', growth '{options.GrowthOperator}': "
    + $"d_model {options.StartDModel ?? shape.DModel} x {options.StartLayers ?? shape.Layers} layers -> {shape.DModel} x {shape.Layers}");

// Letter counting per character, as an ML.NET transform trained with the configured components.
var ml = new MLContext(seed: 1);
string text = BuiltInCorpus.BrownSlice();
var windows = Enumerable.Range(0, 300).Select(w => text.Substring(w * 20, 20))
    .Select(w => new Window { Text = w, Labels = LetterCounting.Labels(w).Select(l => (float)l).ToArray() }).ToList();
var model = trainers.PerCharacter().Fit(ml.Data.LoadFromEnumerable(windows));
Console.WriteLine($"trained d_model {model.Config.DModel} x {model.Config.Layers} layers, final dev accuracy {model.History[^1].DevMetric:F3}");
await host.StopAsync();
return model.Config.DModel == shape.DModel && model.Config.Layers == shape.Layers ? 0 : 1;

public sealed class Window
{
    public string Text { get; set; } = "";

    [Microsoft.ML.Data.VectorType]
    public float[] Labels { get; set; } = [];
}
