using System.CommandLine;

namespace Mote.Cli.Tests;

/// <summary>Runs one of <c>mote</c>'s commands in-process, as the command line would, capturing what it prints.</summary>
internal static class CommandRun
{
    public static (int Exit, string Output, string Error) Invoke(Command command, params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(command);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
