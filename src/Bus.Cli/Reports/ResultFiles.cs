namespace Bus.Cli.Reports;

/// <summary>Writes every run of an experiment as CSV (one row per evaluation) and JSON (everything).</summary>
public static class ResultFiles
{
    /// <summary>JSON settings of results.json, for writing it here and reading it back (<c>bus report</c>); NaN metrics are kept.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes runs.csv and results.json into <paramref name="directory"/>.</summary>
    public static void Write(string directory, IReadOnlyList<BusExperimentResult> results)
    {
        Directory.CreateDirectory(directory);
        var csv = new StringBuilder(
            "d_model_target,arm,seed,step,epoch,train_loss,dev_loss,dev_metric,wall_s,flops,samples,model_d,model_layers,note\n");
        foreach (var r in results)
            foreach (var run in r.Runs)
                foreach (var h in run.History)
                    csv.AppendLine(string.Join(',', new object?[]
                        {
                            r.Options.Model.DModel, run.Arm, run.Seed, h.Step, h.Epoch, h.TrainLoss, h.DevLoss, h.DevMetric,
                            h.WallClockSeconds, h.Flops, h.Samples, h.DModel, h.Layers, h.Note
                        }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        File.WriteAllText(Path.Combine(directory, "runs.csv"), csv.ToString());
        var json = JsonSerializer.Serialize(results, Json);
        File.WriteAllText(Path.Combine(directory, "results.json"), json);
    }
}
