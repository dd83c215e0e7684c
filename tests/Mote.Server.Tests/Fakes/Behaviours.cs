using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Mote.Server.Tests.Fakes;

/// <summary>Scripted provider behaviours: answers, errors, resets, hangs and broken streams.</summary>
public static class Behaviours
{
    /// <summary>
    /// A good answer: JSON or, when the request streams, one chunk per piece. <paramref name="logprob"/> is given to
    /// every token (for cascade judging).
    /// </summary>
    public static Behaviour Ok(string text, string model = "fake-model", double logprob = -0.05, int promptTokens = 10,
        string finishReason = "stop") =>
        (context, request) => request.IsStream
            ? StreamPieces(context, Pieces(text), new StreamScript { Model = model, PromptTokens = promptTokens, FinishReason = finishReason })
            : Json(context, 200, Completion(text, model, logprob, promptTokens, finishReason));

    /// <summary>A streamed answer of exactly these pieces, misbehaving as scripted.</summary>
    public static Behaviour Stream(IReadOnlyList<string> pieces, StreamScript? script = null) =>
        (context, _) => StreamPieces(context, pieces, script ?? new StreamScript());

    public static Behaviour Error(int status, string message, string? code = null, string type = "server_error",
        int? retryAfterSeconds = null) =>
        (context, _) =>
        {
            if (retryAfterSeconds is { } seconds)
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var body = JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code } });
            return Json(context, status, body);
        };

    /// <summary>Drops the TCP connection without answering.</summary>
    public static Behaviour Reset() => (context, _) =>
    {
        context.Abort();
        return Task.CompletedTask;
    };

    /// <summary>Accepts the request and never answers (until the caller gives up).</summary>
    public static Behaviour Hang() => (context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    public static Behaviour Anthropic(string text, string stopReason = "end_turn", string model = "claude-fake") =>
        (context, request) => request.IsStream
            ? AnthropicStream(context, Pieces(text), stopReason, model)
            : Json(context, 200, JsonSerializer.Serialize(new
            {
                id = "msg_fake",
                type = "message",
                role = "assistant",
                model,
                content = new object[] { new { type = "text", text } },
                stop_reason = stopReason,
                stop_sequence = (string?)null,
                usage = new { input_tokens = 12, output_tokens = Pieces(text).Count },
            }));

    public static Behaviour AnthropicToolUse(string toolName, string argumentsJson) =>
        (context, request) => Json(context, 200, $$$"""
            {"id":"msg_tool","type":"message","role":"assistant","model":"claude-fake",
             "content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_1","name":"{{{toolName}}}","input":{{{argumentsJson}}}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":7}}
            """);

    public static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
            if (i == text.Length || text[i] == ' ')
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        return pieces;
    }

    public static string Completion(string text, string model, double logprob, int promptTokens, string finishReason = "stop")
    {
        var pieces = Pieces(text);
        var tokens = pieces.Select(p => new { token = p, logprob, bytes = Encoding.UTF8.GetBytes(p).Select(b => (int)b).ToArray(), top_logprobs = Array.Empty<object>() });
        return JsonSerializer.Serialize(new
        {
            id = "chatcmpl-fake",
            @object = "chat.completion",
            created = 1,
            model,
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = new { role = "assistant", content = text },
                    logprobs = new { content = tokens },
                    finish_reason = finishReason,
                },
            },
            usage = new { prompt_tokens = promptTokens, completion_tokens = pieces.Count, total_tokens = promptTokens + pieces.Count },
        });
    }

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    /// <summary>
    /// Ends the connection mid-stream, after what was sent and without the body's last chunk: the reader sees the
    /// stream end early. A FIN (shutting the socket down for sending), not a reset: a reset can make the reader's
    /// kernel drop data it has received but not read yet, which a loaded machine's reader may not have done even
    /// 150 ms later. The pause lets Kestrel hand what was flushed to the socket first.
    /// </summary>
    private static async Task CutAsync(HttpContext context, CancellationToken aborted)
    {
        await context.Response.Body.FlushAsync(aborted);
        await Task.Delay(100, aborted);
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket
            ?? throw new InvalidOperationException("The fake upstream needs Kestrel's socket transport to cut a stream.");
        socket.Shutdown(SocketShutdown.Send);
        // The reader closes its side once it sees the early end; then the request is aborted.
        await Task.Delay(Timeout.Infinite, aborted);
    }

    private static async Task StreamPieces(HttpContext context, IReadOnlyList<string> pieces, StreamScript script)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.ContentType = "text/event-stream";
        await Event(response, Chunk(script.Model, "{\"role\":\"assistant\",\"content\":\"\"}", null), aborted);
        if (script.FirstTokenDelay > TimeSpan.Zero)
            await Task.Delay(script.FirstTokenDelay, aborted);
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i == script.CutAfter)
            {
                await CutAsync(context, aborted);
                return;
            }
            if (i == script.StallAfter)
            {
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            }
            if (i == script.MalformedAfter)
            {
                await response.WriteAsync("data: {\"choices\": [BROKEN\n\n", aborted);
                await response.Body.FlushAsync(aborted);
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            }
            if (i == script.EndAfter)
                return;
            await Event(response, Chunk(script.Model, $"{{\"content\":{JsonSerializer.Serialize(pieces[i])}}}", null), aborted);
        }
        await Event(response, Chunk(script.Model, "{}", script.FinishReason), aborted);
        await Event(response, $"{{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"{script.Model}\",\"choices\":[],\"usage\":{{\"prompt_tokens\":{script.PromptTokens},\"completion_tokens\":{pieces.Count},\"total_tokens\":{script.PromptTokens + pieces.Count}}}}}", aborted);
        await response.WriteAsync("data: [DONE]\n\n", aborted);
    }

    private static string Chunk(string model, string delta, string? finish) =>
        $"{{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"{model}\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{(finish is null ? "null" : $"\"{finish}\"")}}}]}}";

    private static async Task Event(HttpResponse response, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"data: {json}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task AnthropicStream(HttpContext context, IReadOnlyList<string> pieces, string stopReason, string model)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.ContentType = "text/event-stream";
        async Task Send(string type, string json)
        {
            await response.WriteAsync($"event: {type}\ndata: {json}\n\n", aborted);
            await response.Body.FlushAsync(aborted);
        }
        await Send("message_start", """{"type":"message_start","message":{"id":"msg_fake","type":"message","role":"assistant","model":"MODEL","content":[],"stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}}""".Replace("MODEL", model, StringComparison.Ordinal));
        await Send("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        await Send("ping", """{"type":"ping"}""");
        foreach (var piece in pieces)
            await Send("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{JsonSerializer.Serialize(piece)}}}}}""");
        await Send("content_block_stop", """{"type":"content_block_stop","index":0}""");
        await Send("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}","stop_sequence":null},"usage":{"output_tokens":{{{pieces.Count}}}}}""");
        await Send("message_stop", """{"type":"message_stop"}""");
    }
}
