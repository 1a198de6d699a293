using Bus.Cli.Commands;

// `bus` with no arguments runs the main job: the BUS letter-counting experiment at its small default size.
var root = new RootCommand("Bus: Bootstrapped Up-Scaling — grow small transformers into large ones and measure it honestly.");
var experiment = BusExperimentCommand.Create();
root.Add(experiment);
root.Add(BenchTrainerCommand.Create());
root.Add(BenchLionCommand.Create());
root.Add(BenchComputeCommand.Create());
root.Add(BenchGrowthCommand.Create());
root.Add(ReportCommand.Create());
root.Add(TrainCommand.Create());
root.Add(SoakCommand.Create());
root.Add(CompareCommand.Create());
root.Add(PrepareCommand.Create());
root.Add(GrowthTableCommand.Create());
root.Add(ExportHfCommand.Create());
root.Add(ImportHfCommand.Create());
root.Add(StudyCommand.Create());
root.Add(GenerateCommand.Create());
root.Add(BenchGenerateCommand.Create());
ThreadCount.AddToEveryCommand(root); // every command takes --threads (issue 20, item 7)
root.SetAction((parse, ct) => Task.FromResult(BusExperimentCommand.Run(experiment.Parse([]), ct)));
// Every command runs inside one exception boundary: exit 0 done, 2 bad input, 130 cancelled, 1 internal error.
return await CliBoundary.RunAsync(root, args, Console.Error);
