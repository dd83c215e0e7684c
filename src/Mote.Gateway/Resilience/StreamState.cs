using System.Text;
using Mote.Contracts;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Resilience;

/// <summary>
/// What the client has been sent so far, across attempts: the stable envelope (id, created), whether the role
/// delta went out, the answer text (to continue from), and the chunks held back while buffering a prefix.
/// </summary>
internal sealed class StreamState(StreamJob job)
{
    private readonly bool _singleChoice = job.Request.N is null or 1;
    private bool _roleSent;

    public StringBuilder Text { get; } = new();

    public List<ChatCompletionChunk> Pending { get; } = [];

    /// <summary>True once any chunk reached the client.</summary>
    public bool Flushed { get; set; }

    public bool ToolCallsSeen { get; private set; }

    public bool FinishSeen { get; private set; }

    /// <summary>
    /// True when the client holds part of an answer, so another target must continue it rather than start over.
    /// </summary>
    public bool NeedsContinuation => Flushed && (Text.Length > 0 || ToolCallsSeen);

    /// <summary>An answer can be continued by prefill only if it is one choice of plain text.</summary>
    public bool CanContinue => _singleChoice && !ToolCallsSeen;

    /// <summary>Hold this chunk back (buffering a prefix) rather than send it now.</summary>
    public bool ShouldHold =>
        !Flushed && job.BufferChars > 0 && Text.Length < job.BufferChars && !FinishSeen;

    /// <summary>
    /// Puts an upstream chunk into the client's envelope: one id and creation time for the whole stream, the
    /// answering deployment's model, exactly one role delta, no upstream usage (the gateway sends its own).
    /// Returns null for chunks with nothing left to send.
    /// </summary>
    public ChatCompletionChunk? Rewrite(ChatCompletionChunk chunk, Deployment deployment)
    {
        if (chunk.Choices.Count == 0)
            return null;
        var choices = chunk.Choices;
        if (_roleSent)
        {
            if (HasRole(choices))
                choices = choices.Select(c => c.Delta.Role is null ? c : c with { Delta = c.Delta with { Role = null } }).ToList();
            if (!HasAnything(choices))
                return null;
        }
        else
        {
            if (choices[0].Delta.Role is null)
                choices = [choices[0] with { Delta = choices[0].Delta with { Role = ChatRoles.Assistant } }, .. choices.Skip(1)];
            _roleSent = true;
        }
        return chunk with { Id = job.Id, Created = job.Created, Model = deployment.Model, Choices = choices, Usage = null };
    }

    /// <summary>Notes what a chunk adds to the answer; returns true when it carried generated content.</summary>
    public bool Absorb(ChatCompletionChunk chunk)
    {
        var content = false;
        foreach (var choice in chunk.Choices)
        {
            if (choice.Index == 0 && choice.Delta.Content is { Length: > 0 } text)
            {
                Text.Append(text);
                content = true;
            }
            if (choice.Delta.ToolCalls is { Count: > 0 } || choice.Delta.Refusal is { Length: > 0 })
            {
                ToolCallsSeen = true;
                content = true;
            }
            if (choice.FinishReason is not null)
                FinishSeen = true;
        }
        return content;
    }

    /// <summary>Forgets an attempt whose output never reached the client, so the next one starts clean.</summary>
    public void Restart()
    {
        Pending.Clear();
        if (Flushed)
            return;
        Text.Clear();
        ToolCallsSeen = false;
        FinishSeen = false;
        _roleSent = false;
    }

    /// <summary>The closing usage chunk (<c>choices: []</c>), summed over every attempt of the request.</summary>
    public ChatCompletionChunk UsageChunk(Deployment deployment, Contracts.Usage usage) => new()
    {
        Id = job.Id,
        Created = job.Created,
        Model = deployment.Model,
        Choices = [],
        Usage = usage,
    };

    private static bool HasRole(IReadOnlyList<ChunkChoice> choices)
    {
        foreach (var choice in choices)
            if (choice.Delta.Role is not null)
                return true;
        return false;
    }

    private static bool HasAnything(IReadOnlyList<ChunkChoice> choices)
    {
        foreach (var choice in choices)
        {
            var delta = choice.Delta;
            if (delta.Content is { Length: > 0 } || delta.ToolCalls is { Count: > 0 } || delta.Refusal is { Length: > 0 }
                || choice.FinishReason is not null || choice.Logprobs is not null || delta.ExtensionData is { Count: > 0 })
                return true;
        }
        return false;
    }
}
