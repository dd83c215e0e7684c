using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>Reads and writes the four shapes of a legacy completion prompt.</summary>
internal sealed class CompletionPromptConverter : JsonConverter<CompletionPrompt>
{
    private const string ShapeError =
        "'prompt' must be a string, an array of strings, an array of token ids, or an array of token-id arrays.";

    public override CompletionPrompt Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return CompletionPrompt.FromText(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException(ShapeError);

        List<string>? texts = null;
        List<int>? tokens = null;
        List<IReadOnlyList<int>>? lists = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String when tokens is null && lists is null:
                    (texts ??= []).Add(reader.GetString()!);
                    break;
                case JsonTokenType.Number when texts is null && lists is null:
                    (tokens ??= []).Add(reader.GetInt32());
                    break;
                case JsonTokenType.StartArray when texts is null && tokens is null:
                    (lists ??= []).Add(ReadTokens(ref reader));
                    break;
                default:
                    throw new JsonException(ShapeError);
            }
        }
        if (tokens is not null)
            return CompletionPrompt.FromTokens(tokens);
        if (lists is not null)
            return CompletionPrompt.FromTokenLists(lists);
        return CompletionPrompt.FromTexts(texts ?? []);
    }

    private static List<int> ReadTokens(ref Utf8JsonReader reader)
    {
        var tokens = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
                throw new JsonException(ShapeError);
            tokens.Add(reader.GetInt32());
        }
        return tokens;
    }

    public override void Write(Utf8JsonWriter writer, CompletionPrompt value, JsonSerializerOptions options)
    {
        if (value.Texts is { } texts)
        {
            if (value.WasSingle)
            {
                writer.WriteStringValue(texts[0]);
                return;
            }
            writer.WriteStartArray();
            foreach (var text in texts)
                writer.WriteStringValue(text);
            writer.WriteEndArray();
            return;
        }

        var lists = value.TokenLists ?? [];
        if (value.WasSingle)
        {
            WriteTokens(writer, lists[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (var list in lists)
            WriteTokens(writer, list);
        writer.WriteEndArray();
    }

    private static void WriteTokens(Utf8JsonWriter writer, IReadOnlyList<int> tokens)
    {
        writer.WriteStartArray();
        foreach (var token in tokens)
            writer.WriteNumberValue(token);
        writer.WriteEndArray();
    }
}
