using System.CommandLine;

namespace Mote.Cli.Commands;

/// <summary>The one list of sub-commands; adding a command is one line here.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return BenchCommand.Create();
        yield return BenchGatewayCommand.Create();
        yield return BenchServeCommand.Create();
        yield return ChatCommand.Create();
        yield return GatewayCommand.Create();
        yield return GenerateCommand.Create();
        yield return InfoCommand.Create();
        yield return ListCommand.Create();
        yield return PerplexityCommand.Create();
        yield return ServeCommand.Create();
        yield return PullCommand.Create();
        yield return SynthCommand.Create();
        yield return TokenizeCommand.Create();
    }
}
