using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Gateway.Providers.Anthropic;

// The Anthropic Messages API wire format (https://docs.anthropic.com/en/api/messages), as far as the gateway
// translates it. Unknown fields are kept in extension data so nothing is lost in either direction.

/// <summary>Body of <c>POST /v1/messages</c>.</summary>
internal sealed record AnthropicRequest
{
    public string Model { get; set; } = "";
    public int MaxTokens { get; set; }
    public string? System { get; set; }
    public List<AnthropicMessage> Messages { get; set; } = [];
    public List<string>? StopSequences { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public int? TopK { get; set; }
    public bool? Stream { get; set; }
    public List<AnthropicTool>? Tools { get; set; }
    public AnthropicToolChoice? ToolChoice { get; set; }
    public AnthropicMetadata? Metadata { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

internal sealed record AnthropicMessage
{
    public string Role { get; set; } = "";

    /// <summary>Always written as blocks; read from a string or blocks.</summary>
    [JsonConverter(typeof(AnthropicContentConverter))]
    public List<AnthropicBlock> Content { get; set; } = [];
}

/// <summary>A content block: text, image, tool_use, tool_result, thinking …</summary>
internal sealed record AnthropicBlock
{
    public string Type { get; set; } = "";
    public string? Text { get; set; }
    public string? Id { get; set; }
    public string? Name { get; set; }
    public JsonElement? Input { get; set; }
    public string? ToolUseId { get; set; }

    /// <summary>For tool_result: a string or blocks, kept as sent.</summary>
    public JsonElement? Content { get; set; }

    public bool? IsError { get; set; }
    public JsonElement? Source { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

internal sealed record AnthropicTool
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public JsonElement? InputSchema { get; set; }
}

internal sealed record AnthropicToolChoice
{
    public string Type { get; set; } = "auto";
    public string? Name { get; set; }
    public bool? DisableParallelToolUse { get; set; }
}

internal sealed record AnthropicMetadata
{
    public string? UserId { get; set; }
}

/// <summary>A complete message: the non-streamed response, and the <c>message</c> of <c>message_start</c>.</summary>
internal sealed record AnthropicResponse
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "message";
    public string Role { get; set; } = "assistant";
    public string Model { get; set; } = "";
    public List<AnthropicBlock> Content { get; set; } = [];
    public string? StopReason { get; set; }
    public string? StopSequence { get; set; }
    public AnthropicUsage? Usage { get; set; }
}

internal sealed record AnthropicUsage
{
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public int? CacheCreationInputTokens { get; set; }
    public int? CacheReadInputTokens { get; set; }
}

/// <summary>One server-sent event of a streamed message.</summary>
internal sealed record AnthropicStreamEvent
{
    public string Type { get; set; } = "";
    public AnthropicResponse? Message { get; set; }
    public int? Index { get; set; }
    public AnthropicBlock? ContentBlock { get; set; }
    public AnthropicDelta? Delta { get; set; }
    public AnthropicUsage? Usage { get; set; }
    public AnthropicError? Error { get; set; }
}

internal sealed record AnthropicDelta
{
    public string? Type { get; set; }
    public string? Text { get; set; }
    public string? PartialJson { get; set; }
    public string? StopReason { get; set; }
    public string? StopSequence { get; set; }
}

internal sealed record AnthropicError
{
    public string Type { get; set; } = "";
    public string Message { get; set; } = "";
}

/// <summary>The error envelope: <c>{"type":"error","error":{…}}</c>.</summary>
internal sealed record AnthropicErrorResponse
{
    public string Type { get; set; } = "error";
    public AnthropicError Error { get; set; } = new();
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicRequest))]
[JsonSerializable(typeof(AnthropicResponse))]
[JsonSerializable(typeof(AnthropicStreamEvent))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
[JsonSerializable(typeof(List<AnthropicBlock>))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
