using System.Globalization;
using Mote.Gguf;
using Spectre.Console;

namespace Mote.Cli.Output;

/// <summary>
/// <c>mote info</c> for people: the file's header facts, its metadata (long arrays summarised) and its tensor
/// table with totals, drawn with Spectre.Console on any <see cref="TextWriter"/>.
/// </summary>
internal static class GgufInfoTable
{
    // Wide enough for long tensor names and summaries when the output is a file or a pipe rather than a terminal.
    private const int RedirectedWidth = 200;

    public static void Write(GgufFile file, TextWriter output)
    {
        var console = CreateConsole(output);

        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow(new Text("File"), new Text(file.Path));
        facts.AddRow(new Text("Version"), new Text(file.Version.ToString(CultureInfo.InvariantCulture)));
        facts.AddRow(new Text("Alignment"), new Text(file.Alignment.ToString(CultureInfo.InvariantCulture)));
        facts.AddRow(new Text("Size"), new Text(file.Tensors.Count == 0
            ? $"{Bytes(file.FileLength)} bytes, no tensor data"
            : $"{Bytes(file.FileLength)} bytes, tensor data from offset {Bytes(file.DataOffset)}"));
        console.Write(facts);
        console.WriteLine();

        console.Write(new Text($"Metadata ({file.Metadata.Count} keys)", new Style(decoration: Decoration.Bold)));
        console.WriteLine();
        var metadata = new Table().Border(TableBorder.Simple).AddColumn("Key").AddColumn("Type").AddColumn("Value");
        foreach (var (key, value) in file.Metadata.Entries)
            metadata.AddRow(new Text(key), new Text(GgufValueText.TypeOf(value)), new Text(GgufValueText.Format(value)));
        console.Write(metadata);
        console.WriteLine();

        console.Write(new Text($"Tensors ({file.Tensors.Count})", new Style(decoration: Decoration.Bold)));
        console.WriteLine();
        if (file.Tensors.Count == 0)
        {
            console.WriteLine("(none: a vocabulary-only file)");
            return;
        }
        var tensors = new Table().Border(TableBorder.Simple)
            .AddColumn("Name").AddColumn("Type").AddColumn("Shape").AddColumn(new TableColumn("Bytes").RightAligned());
        long elements = 0, bytes = 0;
        var byType = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
        {
            tensors.AddRow(new Text(tensor.Name), new Text(tensor.Type.ToString()),
                new Text("[" + string.Join(", ", tensor.Shape) + "]"), new Text(Bytes(tensor.ByteSize)));
            elements += tensor.ElementCount;
            bytes += tensor.ByteSize;
            var type = tensor.Type.ToString();
            byType[type] = byType.GetValueOrDefault(type) + 1;
        }
        console.Write(tensors);
        console.WriteLine(
            $"Total: {file.Tensors.Count} tensors, {Bytes(elements)} elements, {Bytes(bytes)} bytes " +
            $"({string.Join(", ", byType.Select(t => $"{t.Key} × {t.Value}"))})");
    }

    private static string Bytes(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var consoleOutput = new AnsiConsoleOutput(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = consoleOutput,
            Ansi = consoleOutput.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = consoleOutput.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!consoleOutput.IsTerminal)
            console.Profile.Width = RedirectedWidth;
        return console;
    }
}
