using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>One choice of a legacy completion.</summary>
public sealed record CompletionChoice
{
    public string Text { get; set; } = "";

    public int Index { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public CompletionLogprobs? Logprobs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }
}
