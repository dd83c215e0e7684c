using Mote.Contracts;

namespace Mote.Cli.Chat;

/// <summary>One piece of a streamed reply: text, the finish reason, or the usage report (each may be absent).</summary>
internal readonly record struct ChatUpdate(string? Content, string? FinishReason, Usage? Usage);
