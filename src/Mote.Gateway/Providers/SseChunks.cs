using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Providers;

/// <summary>Parsing of OpenAI stream events: <c>[DONE]</c> becomes null, error events become exceptions.</summary>
internal static class SseChunks
{
    private static ReadOnlySpan<byte> Done => "[DONE]"u8;

    public static ChatCompletionChunk? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual(Done))
            return null;
        var chunk = JsonSerializer.Deserialize(data, MoteJsonContext.Default.ChatCompletionChunk)
            ?? throw new JsonException("A stream event was 'null'.");
        if (eventType == "error" && chunk.ExtensionData?.ContainsKey("error") != true)
            throw new JsonException("An 'error' event without an error object.");
        return chunk;
    }

    /// <summary>Throws when a chunk is an in-stream error (<c>{"error":{…}}</c>) rather than data.</summary>
    public static void ThrowIfError(ChatCompletionChunk chunk, string upstream)
    {
        if (chunk.ExtensionData is not { } extra || !extra.TryGetValue("error", out var error))
            return;
        var parsed = UpstreamErrors.ParseError($"{{\"error\":{error.GetRawText()}}}", 500);
        var kind = UpstreamErrors.Classify(500, parsed.Error.Code, parsed.Error.Type, parsed.Error.Message);
        throw new ProviderException(kind, $"{upstream} sent an error in the stream: {parsed.Error.Message}")
        {
            UpstreamError = parsed,
        };
    }
}
