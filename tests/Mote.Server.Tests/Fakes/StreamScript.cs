namespace Mote.Server.Tests.Fakes;

/// <summary>How a fake stream misbehaves. Counts are content chunks.</summary>
public sealed record StreamScript
{
    /// <summary>Wait before the first content chunk (the role chunk is sent at once).</summary>
    public TimeSpan FirstTokenDelay { get; init; }

    /// <summary>Abort the connection after this many content chunks.</summary>
    public int? CutAfter { get; init; }

    /// <summary>Go silent (never finish) after this many content chunks.</summary>
    public int? StallAfter { get; init; }

    /// <summary>Send an unparsable event after this many content chunks.</summary>
    public int? MalformedAfter { get; init; }

    /// <summary>End the response cleanly after this many content chunks: no finish reason, no [DONE].</summary>
    public int? EndAfter { get; init; }

    /// <summary>Usage to report; default prompt 10, completion = content chunks.</summary>
    public int PromptTokens { get; init; } = 10;

    public string Model { get; init; } = "fake-model";

    public string FinishReason { get; init; } = "stop";
}
