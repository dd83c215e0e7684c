using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>One message of a conversation: a request message or the assistant message of a response.</summary>
public sealed record ChatMessage
{
    /// <summary>One of <see cref="ChatRoles"/>.</summary>
    public string? Role { get; set; }

    /// <summary>A string or an array of content parts; null for an assistant message that only calls tools.</summary>
    public MessageContent? Content { get; set; }

    public string? Name { get; set; }

    public IReadOnlyList<ToolCall>? ToolCalls { get; set; }

    /// <summary>For <c>tool</c> messages: the id of the call this message answers.</summary>
    public string? ToolCallId { get; set; }

    public string? Refusal { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
