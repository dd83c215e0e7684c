using System.CommandLine;
using Mote.Cli.Output;
using Mote.Gguf;

namespace Mote.Cli.Commands;

/// <summary><c>mote info FILE [--json]</c>: what a GGUF file holds — header, metadata and tensor table.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "GGUF file to describe" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };

        var command = new Command("info", "Show a GGUF file's version, metadata and tensors");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetAction(result => Run(result.GetValue(file)!, result.GetValue(json),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Describes <paramref name="path"/>; a malformed or missing file is one line on stderr and exit code 1.</summary>
    internal static int Run(string path, bool json, TextWriter output, TextWriter error) =>
        UserErrors.Run(error, () =>
        {
            using var file = GgufFile.Open(path);
            if (json)
                GgufInfoJson.Write(file, output);
            else
                GgufInfoTable.Write(file, output);
            return 0;
        });
}
