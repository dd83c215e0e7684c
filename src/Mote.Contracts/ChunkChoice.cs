using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>One choice within a streamed chunk.</summary>
public sealed record ChunkChoice
{
    public int Index { get; set; }

    public ChatDelta Delta { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ChoiceLogprobs? Logprobs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
