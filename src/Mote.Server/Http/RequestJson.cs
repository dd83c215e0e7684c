using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Mote.Contracts;
using Mote.Gateway;

namespace Mote.Server.Http;

/// <summary>
/// Reads a JSON request body into a typed record with errors a client can act on: an empty body, invalid UTF-8,
/// malformed JSON and wrong field types all become 400s naming the problem (and the field path when known).
/// </summary>
internal static class RequestJson
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var reader = request.BodyReader;
        var buffer = await ReadToEndAsync(reader, cancellationToken);
        try
        {
            return Parse(buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray(), typeInfo);
        }
        finally
        {
            reader.AdvanceTo(buffer.End);
        }
    }

    /// <summary>
    /// Reads a chat request and keeps a copy of its bytes with it (<see cref="ChatCompletionRequest.SourceJson"/>),
    /// so that a pass-through relays them instead of serializing the request again.
    /// </summary>
    public static async Task<ChatCompletionRequest> ReadChatAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        var buffer = await ReadToEndAsync(reader, cancellationToken);
        byte[] json;
        try
        {
            json = buffer.ToArray();
        }
        finally
        {
            reader.AdvanceTo(buffer.End);
        }
        var chat = Parse(json, MoteJsonContext.Default.ChatCompletionRequest);
        chat.KeepSource(json);
        return chat;
    }

    /// <summary>The whole body, still unconsumed in the reader: UTF-8 is validated before parsing.</summary>
    private static async Task<ReadOnlySequence<byte>> ReadToEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
                return result.Buffer;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static T Parse<T>(ReadOnlySpan<byte> bytes, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (bytes.IsEmpty)
            throw Invalid("The request body is empty; send a JSON object.", null);
        if (!Utf8.IsValid(bytes))
            throw Invalid("The request body is not valid UTF-8.", null);
        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo)
                ?? throw Invalid("The request body must be a JSON object, not null.", null);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : null;
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
            message = message.Replace("Mote.Contracts.", "", StringComparison.Ordinal);
            throw Invalid(path is null ? $"Malformed JSON: {message}" : $"Invalid value at '{path}': {message}", path);
        }
    }

    private static GatewayException Invalid(string message, string? param) =>
        new(400, ErrorResponse.Create(message, ErrorTypes.InvalidRequest, "invalid_request", param));
}
