using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mote.Contracts;

namespace Mote.Server.Streaming;

/// <summary>
/// Server-Sent Events framed exactly as OpenAI does: <c>data: {json}\n\n</c> per chunk, flushed at once, then
/// <c>data: [DONE]\n\n</c>. An error after the stream began is sent as <c>data: {"error":{…}}</c> without [DONE].
/// </summary>
internal sealed class SseWriter(HttpResponse response)
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    private readonly PipeWriter _pipe = response.BodyWriter;
    private Utf8JsonWriter? _json;

    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    public ValueTask<FlushResult> WriteAsync(ChatCompletionChunk chunk, CancellationToken cancellationToken)
    {
        _pipe.Write(DataPrefix);
        var json = Json();
        JsonSerializer.Serialize(json, chunk, MoteJsonContext.Default.ChatCompletionChunk);
        json.Flush();
        json.Reset();
        _pipe.Write(EventEnd);
        return _pipe.FlushAsync(cancellationToken);
    }

    public ValueTask<FlushResult> WriteErrorAsync(ErrorResponse error, CancellationToken cancellationToken)
    {
        _pipe.Write(DataPrefix);
        var json = Json();
        JsonSerializer.Serialize(json, error, MoteJsonContext.Default.ErrorResponse);
        json.Flush();
        json.Reset();
        _pipe.Write(EventEnd);
        return _pipe.FlushAsync(cancellationToken);
    }

    public ValueTask<FlushResult> WriteDoneAsync(CancellationToken cancellationToken)
    {
        _pipe.Write(Done);
        return _pipe.FlushAsync(cancellationToken);
    }

    private Utf8JsonWriter Json() => _json ??= new Utf8JsonWriter(_pipe, new JsonWriterOptions { SkipValidation = true });
}
