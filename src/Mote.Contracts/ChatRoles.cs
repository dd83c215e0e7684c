namespace Mote.Contracts;

/// <summary>The message roles of the OpenAI chat API.</summary>
public static class ChatRoles
{
    public const string System = "system";
    public const string Developer = "developer";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    /// <summary>True for a role the chat API accepts.</summary>
    public static bool IsKnown(string? role) =>
        role is System or Developer or User or Assistant or Tool;
}
