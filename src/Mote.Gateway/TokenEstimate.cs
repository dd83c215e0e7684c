using Mote.Contracts;

namespace Mote.Gateway;

/// <summary>
/// Rough token counts (about four characters per token) for what no provider reported: the prompt of a stream
/// that broke before its usage chunk, and routing estimates. Never used when real usage is known.
/// </summary>
internal static class TokenEstimate
{
    public static int Text(string? text) => string.IsNullOrEmpty(text) ? 0 : Math.Max(1, (text.Length + 3) / 4);

    public static int Prompt(ChatCompletionRequest request)
    {
        var tokens = 0;
        foreach (var message in request.Messages ?? [])
            tokens += 4 + Text(message.Content?.GetText());
        return tokens;
    }
}
