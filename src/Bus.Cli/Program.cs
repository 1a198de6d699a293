using System.CommandLine;
using Bus.Cli.Commands;

// `bus` with no arguments runs the main job: the BUS letter-counting experiment at its small default size.
var root = new RootCommand("Bus: Bootstrapped Up-Scaling — grow small transformers into large ones and measure it honestly.");
var experiment = BusExperimentCommand.Create();
root.Add(experiment);
root.Add(BenchTrainerCommand.Create());
root.Add(BenchLionCommand.Create());
root.Add(BenchGrowthCommand.Create());
root.Add(ReportCommand.Create());
root.Add(TrainCommand.Create());
root.Add(SoakCommand.Create());
root.Add(CompareCommand.Create());
root.Add(PrepareCommand.Create());
root.Add(GrowthTableCommand.Create());
root.Add(StudyCommand.Create());
root.SetAction((parse, ct) => Task.FromResult(BusExperimentCommand.Run(experiment.Parse([]), ct)));
return await root.Parse(args).InvokeAsync();
