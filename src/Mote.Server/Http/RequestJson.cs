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
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
                break;
            // Keep everything buffered until the body is complete: UTF-8 is validated before parsing.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        var buffer = result.Buffer;
        try
        {
            return Parse(buffer, typeInfo);
        }
        finally
        {
            reader.AdvanceTo(buffer.End);
        }
    }

    private static T Parse<T>(ReadOnlySequence<byte> buffer, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (buffer.IsEmpty)
            throw Invalid("The request body is empty; send a JSON object.", null);
        var bytes = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray();
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
