using System.CommandLine;
using System.Text.Json;
using Mote.Engine.Hub;
using Spectre.Console;

namespace Mote.Cli.Commands;

/// <summary><c>mote list</c>: the models in the local cache, as a table or JSON.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {alias, repository, file, size, path}" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Model cache folder (default: $MOTE_CACHE, else ~/.cache/mote)" };
        var command = new Command("list", "List the models pulled into the local cache");
        command.Options.Add(json);
        command.Options.Add(cacheDir);
        command.SetAction(result => Run(result.GetValue(json), result.GetValue(cacheDir), result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(bool json, string? cacheDirectory, TextWriter output, TextWriter error)
    {
        try
        {
            var cache = new ModelCache(HubOptions.CacheDirectoryFromEnvironment(cacheDirectory));
            var models = cache.List();
            if (json)
                WriteJson(models, output);
            else if (models.Count == 0)
                output.WriteLine($"No models in {cache.Root} yet. Pull one with: mote pull {ModelAliases.Default}");
            else
                WriteTable(models, output);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static void WriteTable(IReadOnlyList<CachedModel> models, TextWriter output)
    {
        var consoleOutput = new AnsiConsoleOutput(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = consoleOutput,
            Ansi = consoleOutput.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = consoleOutput.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!consoleOutput.IsTerminal)
            console.Profile.Width = 240; // keep long paths on one line in logs and pipes
        var table = new Table();
        table.AddColumn("Model");
        table.AddColumn("File");
        table.AddColumn(new TableColumn("Size").RightAligned());
        table.AddColumn("Path");
        foreach (var model in models)
        {
            table.AddRow(Markup.Escape(model.Alias ?? "hf:" + model.Repository), Markup.Escape(model.File),
                PullCommand.Size(model.Size), Markup.Escape(model.Path));
        }
        console.Write(table);
    }

    private static void WriteJson(IReadOnlyList<CachedModel> models, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var model in models)
            {
                writer.WriteStartObject();
                if (model.Alias is null)
                    writer.WriteNull("alias");
                else
                    writer.WriteString("alias", model.Alias);
                writer.WriteString("repository", model.Repository);
                writer.WriteString("file", model.File);
                writer.WriteNumber("size", model.Size);
                writer.WriteString("path", model.Path);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
