// Namespaces every command and its helpers use, imported once for the project.
global using System.CommandLine;
global using System.Globalization;
global using Bus.Cli.Infrastructure;
