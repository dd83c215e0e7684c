using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>A non-streamed chat completion (<c>"object": "chat.completion"</c>).</summary>
public sealed record ChatCompletionResponse
{
    public const string ObjectName = "chat.completion";

    public string Id { get; set; } = "";

    public string Object { get; set; } = ObjectName;

    public long Created { get; set; }

    public string Model { get; set; } = "";

    public IReadOnlyList<ChatChoice> Choices { get; set; } = [];

    public Usage? Usage { get; set; }

    public string? SystemFingerprint { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
