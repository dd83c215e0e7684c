using System.CommandLine;
using Mote.Cli.Commands;

// The `mote` command: each sub-command lives in Commands/ and only composes library calls.
var root = new RootCommand("Mote: run, serve and route small language models on your own machine.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return await root.Parse(args).InvokeAsync();
