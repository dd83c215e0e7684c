using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>The body of the legacy <c>POST /v1/completions</c>: a raw prompt, no chat template.</summary>
public sealed record CompletionRequest
{
    public string? Model { get; set; }

    public CompletionPrompt? Prompt { get; set; }

    public string? Suffix { get; set; }

    public int? MaxTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? N { get; set; }

    public bool? Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    /// <summary>In this legacy API, the number of most likely tokens to report per position.</summary>
    public int? Logprobs { get; set; }

    public bool? Echo { get; set; }

    public StopSequences? Stop { get; set; }

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    public int? BestOf { get; set; }

    public long? Seed { get; set; }

    public string? User { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    [JsonIgnore]
    public bool IsStreaming => Stream == true;
}
