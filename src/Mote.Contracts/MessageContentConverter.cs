using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mote.Contracts;

/// <summary>Reads and writes <see cref="MessageContent"/> as a JSON string or an array of parts.</summary>
internal sealed class MessageContentConverter : JsonConverter<MessageContent>
{
    public override MessageContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return MessageContent.FromText(reader.GetString()!);
            case JsonTokenType.StartArray:
                var info = (JsonTypeInfo<List<ContentPart>>)options.GetTypeInfo(typeof(List<ContentPart>));
                var parts = JsonSerializer.Deserialize(ref reader, info)
                    ?? throw new JsonException("Message content array must not be null.");
                foreach (var part in parts)
                    if (part is null || string.IsNullOrEmpty(part.Type))
                        throw new JsonException("Every content part needs a 'type'.");
                return MessageContent.FromParts(parts);
            default:
                throw new JsonException("Message content must be a string or an array of content parts.");
        }
    }

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
            return;
        }
        var info = (JsonTypeInfo<IReadOnlyList<ContentPart>>)options.GetTypeInfo(typeof(IReadOnlyList<ContentPart>));
        JsonSerializer.Serialize(writer, value.Parts ?? [], info);
    }
}
