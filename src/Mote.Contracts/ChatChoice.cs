using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>One choice of a non-streamed chat completion.</summary>
public sealed record ChatChoice
{
    public int Index { get; set; }

    public ChatMessage Message { get; set; } = new() { Role = ChatRoles.Assistant };

    // OpenAI always writes these two keys, null or not; some clients rely on their presence.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ChoiceLogprobs? Logprobs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }
}
