using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c>. Fields the gateway does not model are kept in
/// <see cref="ExtensionData"/> so that a pass-through to an OpenAI-compatible upstream forwards everything the
/// client sent. Once read, a request is never changed in place — a changed request is a copy (<c>with</c>) — which
/// is what lets <see cref="SourceJson"/> know when the client's bytes still describe it. (The setters stay: with
/// init-only properties the source generator deserializes through a slower constructor path.)
/// </summary>
public sealed record ChatCompletionRequest
{
    private Source? _source;

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

    /// <summary>
    /// The JSON this request was read from (see <see cref="KeepSource"/>), or empty. A copy made with <c>with</c> —
    /// a cascade's judged request, a continuation, anything changed — has none, so a pass-through may send these
    /// bytes (with its own model name) instead of serializing the record again. Nested objects are never mutated.
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> SourceJson =>
        _source is { } source && ReferenceEquals(source.Request, this) ? source.Json : ReadOnlyMemory<byte>.Empty;

    /// <summary>Remembers the JSON this request was just deserialized from (the caller's bytes, not copied).</summary>
    public void KeepSource(ReadOnlyMemory<byte> json) => _source = new Source(this, json);

    /// <summary>
    /// The source JSON and the request it was read into: <c>with</c> copies this field to the new record, whose
    /// reference differs from <see cref="Request"/>, so the copy sees no source. A class, not a record: equality of
    /// requests compares this field by reference and must not recurse into the request.
    /// </summary>
    private sealed class Source(ChatCompletionRequest request, ReadOnlyMemory<byte> json)
    {
        public ChatCompletionRequest Request { get; } = request;

        public ReadOnlyMemory<byte> Json { get; } = json;
    }
}
