namespace Mote.Engine.ChatTemplates;

/// <summary>One chat turn as a chat template sees it: a role (<c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>, …) and its text.</summary>
public sealed record ChatMessage(string Role, string Content);
