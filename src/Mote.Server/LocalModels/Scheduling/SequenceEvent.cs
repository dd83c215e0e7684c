using Mote.Contracts;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>
/// What the scheduler reports about one choice of a job: a token's final text (possibly empty while a character
/// or a possible stop string is incomplete) with its log-probability, or the end of the choice, or a failure.
/// </summary>
internal readonly record struct SequenceEvent(int Choice, string Text, TokenLogprob? Logprob, string? FinishReason, Exception? Error)
{
    public static SequenceEvent Token(int choice, string text, TokenLogprob? logprob) => new(choice, text, logprob, null, null);

    public static SequenceEvent Finished(int choice, string text, string reason) => new(choice, text, null, reason, null);

    public static SequenceEvent Failed(Exception error) => new(-1, "", null, null, error);
}
