using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Providers;

/// <summary>
/// Pass-through to an OpenAI-compatible <c>/chat/completions</c>: the request goes out with the deployment's model
/// name (the client's own bytes when it is unchanged, see <see cref="RequestBody"/>), the SSE stream comes back chunk
/// by chunk as it arrives (no buffering beyond one event).
/// </summary>
internal sealed class OpenAiCompatibleClient(
    HttpClient http, OpenAiCompatibleEndpoint endpoint, string model, TimeProvider time)
    : IChatCompletionClient, IReadinessProbe
{
    private static readonly MediaTypeWithQualityHeaderValue s_eventStream = new("text/event-stream");
    private static readonly MediaTypeWithQualityHeaderValue s_json = new("application/json");

    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(request, streaming: false);
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        try
        {
            // Read whole, then parsed in one synchronous pass: cheaper than the serializer's resumable stream reader.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var result = JsonSerializer.Deserialize(body, MoteJsonContext.Default.ChatCompletionResponse);
            if (result is null || result.Choices.Count == 0)
                throw new ProviderException(FailureKind.StreamMalformed, $"{endpoint.ProviderName} returned a completion without choices.");
            return result;
        }
        catch (JsonException e)
        {
            throw new ProviderException(FailureKind.StreamMalformed, $"{endpoint.ProviderName} returned malformed JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw UpstreamErrors.FromTransport(e, endpoint.ProviderName, responseStarted: true);
        }
    }

    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Always ask for the usage chunk (RequestBody does): the ledger needs it even when the client did not.
        using var message = CreateMessage(request, streaming: true);
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);

        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw UpstreamErrors.FromTransport(e, endpoint.ProviderName, responseStarted: true);
        }

        await using var _ = body.ConfigureAwait(false);
        var events = SseParser.Create(body, static (eventType, data) => SseChunks.Parse(eventType, data))
            .EnumerateAsync(cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        await using var __ = events.ConfigureAwait(false);
        var sawDone = false;
        var sawFinish = false;
        while (true)
        {
            ChatCompletionChunk? chunk;
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                    break;
                chunk = events.Current.Data;
            }
            catch (JsonException e)
            {
                throw new ProviderException(FailureKind.StreamMalformed, $"{endpoint.ProviderName} sent a malformed stream event: {e.Message}", e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw UpstreamErrors.FromTransport(e, endpoint.ProviderName, responseStarted: true);
            }

            if (chunk is null)
            {
                sawDone = true;
                break;
            }
            SseChunks.ThrowIfError(chunk, endpoint.ProviderName);
            foreach (var choice in chunk.Choices)
                sawFinish |= choice.FinishReason is not null;
            yield return chunk;
        }

        // Without [DONE] but after a finish reason the answer itself is whole (only a usage chunk may be missing);
        // without either it was cut off.
        if (!sawDone && !sawFinish)
            throw new ProviderException(FailureKind.StreamIncomplete, $"{endpoint.ProviderName} ended the stream without [DONE].");
    }

    public async ValueTask<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (endpoint.HealthUri is null)
            return true;
        try
        {
            using var response = await http.GetAsync(endpoint.HealthUri, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private HttpRequestMessage CreateMessage(ChatCompletionRequest request, bool streaming)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, endpoint.ChatUri)
        {
            Content = RequestBody.Create(request, model, streaming, endpoint.Renames, endpoint.Drops),
        };
        message.Headers.Accept.Add(streaming ? s_eventStream : s_json);
        if (endpoint.ApiKey is { Length: > 0 } key)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (endpoint.Headers is { } headers)
            foreach (var (name, value) in headers)
                message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw UpstreamErrors.FromTransport(e, endpoint.ProviderName, responseStarted: false);
        }

        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await UpstreamErrors.FromResponseAsync(response, endpoint.ProviderName, time, cancellationToken).ConfigureAwait(false);
    }
}
