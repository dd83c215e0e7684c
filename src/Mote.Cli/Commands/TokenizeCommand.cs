using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mote.Engine.Loading;
using Mote.Tokenizers;

namespace Mote.Cli.Commands;

/// <summary>
/// <c>mote tokenize</c>: the token ids a model's tokenizer gives for a text (like <c>llama-tokenize --ids</c>), or,
/// with <c>--input-file</c>, for every string of a JSON array.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "GGUF model file (only its tokenizer is read)", Required = true };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not add the special tokens the vocabulary asks for (BOS/EOS, [CLS]/[SEP])" };
        var json = new Option<bool>("--json") { Description = "Print the ids as a JSON array" };
        var inputFile = new Option<string?>("--input-file") { Description = "A JSON array of strings; prints a JSON array of id arrays" };
        var parseSpecial = new Option<bool>("--parse-special") { Description = "Turn special-token text such as <|im_start|> into that token" };
        var text = new Argument<string?>("text") { Description = "Text to tokenize", Arity = ArgumentArity.ZeroOrOne };

        var command = new Command("tokenize", "Print the token ids of a text as the model's tokenizer encodes it");
        foreach (var option in new Option[] { model, noBos, json, inputFile, parseSpecial })
            command.Options.Add(option);
        command.Arguments.Add(text);
        command.SetAction(result => UserErrors.Run(result.InvocationConfiguration.Error, () =>
            Run(new Request(result.GetValue(model)!, result.GetValue(text), result.GetValue(inputFile),
                    AddSpecial: !result.GetValue(noBos), result.GetValue(parseSpecial), result.GetValue(json)),
                result.InvocationConfiguration.Output, result.InvocationConfiguration.Error)));
        return command;
    }

    internal sealed record Request(string ModelPath, string? Text, string? InputFile, bool AddSpecial, bool ParseSpecial, bool Json);

    internal static int Run(Request request, TextWriter output, TextWriter error)
    {
        if ((request.Text is null) == (request.InputFile is null))
        {
            error.WriteLine("error: give either a TEXT argument or --input-file, not both or neither.");
            return 1;
        }

        string[] texts;
        if (request.InputFile is { } path)
        {
            if (!TryReadStrings(path, out texts, out var problem))
            {
                error.WriteLine($"error: {path}: {problem}");
                return 1;
            }
        }
        else
        {
            texts = [request.Text!];
        }

        var tokenizer = TokenizerLoader.Load(request.ModelPath);
        var ids = Array.ConvertAll(texts, t => tokenizer.Encode(t, request.AddSpecial, request.ParseSpecial));

        if (request.InputFile is not null)
            output.WriteLine(ToJson(ids));
        else if (request.Json)
            output.WriteLine(ToJson(ids[0]));
        else
            output.WriteLine(string.Join(' ', ids[0].Select(id => id.ToString(CultureInfo.InvariantCulture))));
        return 0;
    }

    private static bool TryReadStrings(string path, out string[] texts, out string problem)
    {
        texts = [];
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                problem = "expected a JSON array of strings.";
                return false;
            }
            var list = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    problem = $"element {list.Count} is {element.ValueKind}, expected a string.";
                    return false;
                }
                list.Add(element.GetString()!);
            }
            texts = [.. list];
            problem = "";
            return true;
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON: {e.Message}";
            return false;
        }
    }

    private static string ToJson(int[] ids)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteIds(writer, ids);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ToJson(int[][] idLists)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var ids in idLists)
                WriteIds(writer, ids);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteIds(Utf8JsonWriter writer, int[] ids)
    {
        writer.WriteStartArray();
        foreach (var id in ids)
            writer.WriteNumberValue(id);
        writer.WriteEndArray();
    }
}
