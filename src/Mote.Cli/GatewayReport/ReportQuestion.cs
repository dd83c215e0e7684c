using Mote.Contracts;

namespace Mote.Cli.GatewayReport;

/// <summary>One question of a report: the conversation sent, and the text that names it in the table.</summary>
internal sealed record ReportQuestion(int Line, string Text, IReadOnlyList<ChatMessage> Messages);
