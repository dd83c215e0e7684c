using Mote.Contracts;

namespace Mote.Gateway.Resilience;

/// <summary>Small questions about a streamed chunk, asked by several decorators.</summary>
internal static class ChunkFacts
{
    /// <summary>True when the chunk carries part of the answer (text, tool call, refusal) or ends it.</summary>
    public static bool HasPayload(ChatCompletionChunk chunk)
    {
        foreach (var choice in chunk.Choices)
        {
            var delta = choice.Delta;
            if (!string.IsNullOrEmpty(delta.Content) || delta.ToolCalls is { Count: > 0 }
                || !string.IsNullOrEmpty(delta.Refusal) || choice.FinishReason is not null)
                return true;
        }
        return false;
    }

    public static bool HasFinish(ChatCompletionChunk chunk)
    {
        foreach (var choice in chunk.Choices)
            if (choice.FinishReason is not null)
                return true;
        return false;
    }
}
