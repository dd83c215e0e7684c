using Mote.Contracts;

namespace Mote.Gateway.Cascade;

/// <summary>
/// Replays a complete answer as an OpenAI stream (role and content, then the finish chunk), for answers that were
/// judged before any byte could be streamed.
/// </summary>
internal static class ResponseChunks
{
    public static IEnumerable<ChatCompletionChunk> From(ChatCompletionResponse response, string id, long created, string model)
    {
        var opening = new List<ChunkChoice>(response.Choices.Count);
        var closing = new List<ChunkChoice>(response.Choices.Count);
        foreach (var choice in response.Choices)
        {
            var message = choice.Message;
            opening.Add(new ChunkChoice
            {
                Index = choice.Index,
                Delta = new ChatDelta
                {
                    Role = ChatRoles.Assistant,
                    Content = message.Content?.GetText() ?? (message.ToolCalls is null ? "" : null),
                    ToolCalls = message.ToolCalls?.Select((call, index) => call with { Index = index }).ToList(),
                    Refusal = message.Refusal,
                },
                Logprobs = choice.Logprobs,
            });
            closing.Add(new ChunkChoice { Index = choice.Index, Delta = new ChatDelta(), FinishReason = choice.FinishReason ?? FinishReasons.Stop });
        }
        yield return new ChatCompletionChunk { Id = id, Created = created, Model = model, Choices = opening, SystemFingerprint = response.SystemFingerprint };
        yield return new ChatCompletionChunk { Id = id, Created = created, Model = model, Choices = closing, SystemFingerprint = response.SystemFingerprint };
    }
}
