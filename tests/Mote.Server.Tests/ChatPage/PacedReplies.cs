using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.ChatPage;

/// <summary>
/// Upstream behaviours for the chat page: an OpenAI stream whose pieces come at a steady pace (so a browser sees the
/// reply grow), with the usage chunk and <c>[DONE]</c> at the end; and a report of when the upstream saw its
/// caller go away.
/// </summary>
internal static class PacedReplies
{
    public static Behaviour Stream(IReadOnlyList<string> pieces, TimeSpan delay, TaskCompletionSource? aborted = null) =>
        async (context, request) =>
        {
            var cancellation = context.RequestAborted;
            using var signal = aborted is null ? default : cancellation.Register(() => aborted.TrySetResult());
            var model = request.Json.GetProperty("model").GetString() ?? "fake";
            var response = context.Response;
            response.ContentType = "text/event-stream";
            await Event(response, Chunk(model, """{"role":"assistant","content":""}""", null), cancellation);
            foreach (var piece in pieces)
            {
                await Task.Delay(delay, cancellation);
                await Event(response, Chunk(model, $$"""{"content":{{JsonSerializer.Serialize(piece)}}}""", null), cancellation);
            }
            await Event(response, Chunk(model, "{}", "\"stop\""), cancellation);
            var usage = $"{{\"prompt_tokens\":9,\"completion_tokens\":{pieces.Count},\"total_tokens\":{9 + pieces.Count}}}";
            await Event(response, $$"""{"id":"chatcmpl-page","object":"chat.completion.chunk","created":1,"model":"{{model}}","choices":[],"usage":{{usage}}}""", cancellation);
            await response.WriteAsync("data: [DONE]\n\n", cancellation);
        };

    /// <summary>Splits text into pieces of about one word, keeping every character (like a tokenizer would).</summary>
    public static List<string> Words(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
            if (i == text.Length || text[i] is ' ' or '\n')
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        return pieces;
    }

    private static string Chunk(string model, string delta, string? finish) =>
        $$"""{"id":"chatcmpl-page","object":"chat.completion.chunk","created":1,"model":"{{model}}","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish ?? "null"}}}]}""";

    private static async Task Event(HttpResponse response, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"data: {json}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
