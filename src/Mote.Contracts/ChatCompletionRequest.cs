using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c>. Fields the gateway does not model are kept in
/// <see cref="ExtensionData"/> so that a pass-through to an OpenAI-compatible upstream forwards everything the
/// client sent.
/// </summary>
public sealed record ChatCompletionRequest
{
    public string? Model { get; set; }

    public IReadOnlyList<ChatMessage>? Messages { get; set; }

    public bool? Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public long? Seed { get; set; }

    public StopSequences? Stop { get; set; }

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    public bool? Logprobs { get; set; }

    public int? TopLogprobs { get; set; }

    public int? N { get; set; }

    public ResponseFormat? ResponseFormat { get; set; }

    public IReadOnlyList<ChatTool>? Tools { get; set; }

    /// <summary><c>"none"</c>, <c>"auto"</c>, <c>"required"</c> or an object naming a function; relayed as sent.</summary>
    public JsonElement? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public string? User { get; set; }

    /// <summary>Every request field not modelled above, preserved verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>True when the client asked for a Server-Sent Events stream.</summary>
    [JsonIgnore]
    public bool IsStreaming => Stream == true;

    /// <summary>The completion-token limit, whichever of the two spellings the client used.</summary>
    [JsonIgnore]
    public int? EffectiveMaxTokens => MaxCompletionTokens ?? MaxTokens;
}
