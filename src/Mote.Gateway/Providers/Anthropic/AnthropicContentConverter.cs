using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mote.Gateway.Providers.Anthropic;

/// <summary>Message content is a string (one text block) or an array of blocks.</summary>
internal sealed class AnthropicContentConverter : JsonConverter<List<AnthropicBlock>>
{
    public override List<AnthropicBlock> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return [new AnthropicBlock { Type = "text", Text = reader.GetString() }];
        var info = (JsonTypeInfo<List<AnthropicBlock>>)options.GetTypeInfo(typeof(List<AnthropicBlock>));
        return JsonSerializer.Deserialize(ref reader, info) ?? [];
    }

    public override void Write(Utf8JsonWriter writer, List<AnthropicBlock> value, JsonSerializerOptions options)
    {
        var info = (JsonTypeInfo<List<AnthropicBlock>>)options.GetTypeInfo(typeof(List<AnthropicBlock>));
        JsonSerializer.Serialize(writer, value, info);
    }
}
