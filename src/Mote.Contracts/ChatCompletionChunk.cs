using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>One Server-Sent Event of a streamed chat completion (<c>"object": "chat.completion.chunk"</c>).</summary>
public sealed record ChatCompletionChunk
{
    public const string ObjectName = "chat.completion.chunk";

    public string Id { get; set; } = "";

    public string Object { get; set; } = ObjectName;

    public long Created { get; set; }

    public string Model { get; set; } = "";

    public IReadOnlyList<ChunkChoice> Choices { get; set; } = [];

    /// <summary>Only on the final usage chunk (with empty <see cref="Choices"/>) when usage was asked for.</summary>
    public Usage? Usage { get; set; }

    public string? SystemFingerprint { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
