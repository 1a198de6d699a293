// Namespaces every estimator, transformer and training helper of Bus.MLNet uses, imported once for the project.
global using Bus.MLNet.Components;
global using Bus.MLNet.Portable;
global using Bus.MLNet.Training;
global using Microsoft.Extensions.Logging;
global using Microsoft.ML;
global using Microsoft.ML.Data;
