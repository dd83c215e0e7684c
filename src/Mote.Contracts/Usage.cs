using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>Token counts of a request. Provider-specific details are kept in extension data.</summary>
public sealed record Usage
{
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public int TotalTokens { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    public static Usage Of(int promptTokens, int completionTokens) => new()
    {
        PromptTokens = promptTokens,
        CompletionTokens = completionTokens,
        TotalTokens = promptTokens + completionTokens,
    };
}
