namespace Mote.Contracts;

/// <summary>The <c>finish_reason</c> values of the OpenAI chat API.</summary>
public static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string ToolCalls = "tool_calls";
    public const string ContentFilter = "content_filter";
}
