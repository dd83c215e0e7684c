using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>The incremental part of a streamed assistant message.</summary>
public sealed record ChatDelta
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    public IReadOnlyList<ToolCall>? ToolCalls { get; set; }

    public string? Refusal { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
