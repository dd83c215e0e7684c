using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>
/// A tool call made by the assistant. In a stream, deltas carry <see cref="Index"/> and fragments of the
/// arguments; in a complete message every field is whole.
/// </summary>
public sealed record ToolCall
{
    /// <summary>Position of the call within the message; only present in streaming deltas.</summary>
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string? Type { get; set; }

    public FunctionCall? Function { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
