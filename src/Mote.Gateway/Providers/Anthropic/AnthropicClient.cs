using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Providers.Anthropic;

/// <summary>A model behind Anthropic's Messages API, spoken to in OpenAI chat terms.</summary>
internal sealed class AnthropicClient(HttpClient http, AnthropicEndpoint endpoint, string model, TimeProvider time)
    : IChatCompletionClient
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(request, stream: false);
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var result = await JsonSerializer.DeserializeAsync(body, AnthropicJsonContext.Default.AnthropicResponse, cancellationToken)
                .ConfigureAwait(false) ?? throw new JsonException("null message");
            return AnthropicTranslator.FromAnthropic(result, time.GetUtcNow().ToUnixTimeSeconds());
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
        using var message = CreateMessage(request, stream: true);
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
        var translator = new AnthropicStreamTranslator(time.GetUtcNow().ToUnixTimeSeconds());
        var events = SseParser.Create(body, static (_, data) =>
                JsonSerializer.Deserialize(data, AnthropicJsonContext.Default.AnthropicStreamEvent)
                ?? throw new JsonException("A stream event was 'null'."))
            .EnumerateAsync(cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        await using var __ = events.ConfigureAwait(false);
        while (!translator.Finished)
        {
            AnthropicStreamEvent item;
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                    break;
                item = events.Current.Data;
            }
            catch (JsonException e)
            {
                throw new ProviderException(FailureKind.StreamMalformed, $"{endpoint.ProviderName} sent a malformed stream event: {e.Message}", e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw UpstreamErrors.FromTransport(e, endpoint.ProviderName, responseStarted: true);
            }
            if (translator.Translate(item, endpoint.ProviderName) is { } chunk)
                yield return chunk;
        }
        if (!translator.Finished)
            throw new ProviderException(FailureKind.StreamIncomplete, $"{endpoint.ProviderName} ended the stream without message_stop.");
    }

    private HttpRequestMessage CreateMessage(ChatCompletionRequest request, bool stream)
    {
        if (request.N is > 1)
            throw new ProviderException(FailureKind.Unavailable, $"{endpoint.ProviderName} (Anthropic) cannot return n > 1 choices.");
        var body = AnthropicTranslator.ToAnthropic(request, model, endpoint.DefaultMaxTokens, stream);
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, AnthropicJsonContext.Default.AnthropicRequest));
        content.Headers.ContentType = s_json;
        var message = new HttpRequestMessage(HttpMethod.Post, endpoint.MessagesUri) { Content = content };
        message.Headers.TryAddWithoutValidation("anthropic-version", endpoint.Version);
        if (endpoint.ApiKey is { Length: > 0 } key)
            message.Headers.TryAddWithoutValidation("x-api-key", key);
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
        {
            var failure = await UpstreamErrors.FromResponseAsync(response, endpoint.ProviderName, time, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            // Anthropic names its errors by type; 529 "overloaded" is a server error worth retrying.
            var kind = failure.UpstreamError?.Error.Type is { } type ? AnthropicErrors.Classify(type, status, failure.Message) : failure.Kind;
            if (kind == FailureKind.ContentFilter || failure.Kind == FailureKind.ContextLength)
                kind = failure.Kind;
            throw kind == failure.Kind ? failure : new ProviderException(kind, failure.Message)
            {
                StatusCode = failure.StatusCode,
                RetryAfter = failure.RetryAfter,
                UpstreamError = failure.UpstreamError,
            };
        }
    }
}
