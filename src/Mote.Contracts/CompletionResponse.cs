using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>
/// A legacy completion (<c>"object": "text_completion"</c>). The same shape is used for each streamed event.
/// </summary>
public sealed record CompletionResponse
{
    public const string ObjectName = "text_completion";

    public string Id { get; set; } = "";

    public string Object { get; set; } = ObjectName;

    public long Created { get; set; }

    public string Model { get; set; } = "";

    public IReadOnlyList<CompletionChoice> Choices { get; set; } = [];

    public Usage? Usage { get; set; }

    public string? SystemFingerprint { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
