using System.Text.Json.Serialization;

namespace Mote.Cli.Output;

/// <summary>The <c>mote generate --json</c> document.</summary>
internal sealed record GenerateResult(
    [property: JsonPropertyName("prompt_tokens")] int[] PromptTokens,
    [property: JsonPropertyName("tokens")] int[] Tokens,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("finish_reason")] string FinishReason);
