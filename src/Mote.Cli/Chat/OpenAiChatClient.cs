using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Mote.Contracts;

namespace Mote.Cli.Chat;

/// <summary>
/// The two calls <c>mote chat</c> makes to an OpenAI-compatible server: the model list and a streamed chat
/// completion (Server-Sent Events, <c>data: [DONE]</c> at the end). Failures become a
/// <see cref="ChatClientException"/> carrying the server's own error message; cancellation stays an
/// <see cref="OperationCanceledException"/> so the caller can tell "stopped" from "failed".
/// </summary>
internal sealed class OpenAiChatClient(HttpClient http, string? apiKey)
{
    /// <summary>The API root (<c>…/v1/</c>) of a server given as <c>http://host:port</c> or <c>http://host:port/v1</c>.</summary>
    public static Uri ApiRoot(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ChatClientException($"'{url}' is not an http(s) URL (expected e.g. http://127.0.0.1:8080).");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v1", StringComparison.Ordinal))
            path += "/v1";
        return new UriBuilder(uri) { Path = path + "/" }.Uri;
    }

    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, "models");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var list = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            MoteJsonContext.Default.ModelList, cancellationToken).ConfigureAwait(false);
        return list?.Data.Select(m => m.Id).ToList() ?? [];
    }

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(string model, IReadOnlyList<ChatMessage> messages, int? maxTokens,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = new ChatCompletionRequest
        {
            Model = model,
            Messages = messages,
            Stream = true,
            MaxTokens = maxTokens,
            StreamOptions = new StreamOptions { IncludeUsage = true },
        };
        using var request = Request(HttpMethod.Post, "chat/completions");
        request.Content = new StringContent(JsonSerializer.Serialize(body, MoteJsonContext.Default.ChatCompletionRequest), Encoding.UTF8, "application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);

        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw new ChatClientException("The connection broke while the reply was streaming.", e);
            }
            if (line is null)
                throw new ChatClientException("The reply ended before it was complete (the server never sent [DONE]).");
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
                continue;
            }
            // A blank line ends an event; other fields (event, id) and comments carry nothing needed here.
            if (line.Length != 0 || data.Length == 0)
                continue;
            var payload = data.ToString();
            data.Clear();
            if (payload == "[DONE]")
                yield break;
            yield return Parse(payload);
        }
    }

    private static ChatUpdate Parse(string payload)
    {
        ChatCompletionChunk? chunk;
        try
        {
            chunk = JsonSerializer.Deserialize(payload, MoteJsonContext.Default.ChatCompletionChunk);
        }
        catch (JsonException e)
        {
            throw new ChatClientException("The server sent an event that is not a chat completion chunk.", e);
        }
        if (chunk is null)
            throw new ChatClientException("The server sent an empty event.");
        // An error after the stream began comes as an event of its own: {"error":{…}}.
        if (chunk.ExtensionData?.TryGetValue("error", out var error) == true)
            throw new ChatClientException(error.Deserialize(MoteJsonContext.Default.ErrorDetail)?.Message ?? "The reply failed.");
        var choice = chunk.Choices.Count > 0 ? chunk.Choices[0] : null;
        return new ChatUpdate(choice?.Delta.Content, choice?.FinishReason, chunk.Usage);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(apiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ChatClientException($"Could not reach {http.BaseAddress}: {e.Message}", e);
        }
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw new ChatClientException(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The OpenAI error object's message when the body is one, else the status line.</summary>
    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".Trim();
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var error = JsonSerializer.Deserialize(body, MoteJsonContext.Default.ErrorResponse);
            return string.IsNullOrEmpty(error?.Error.Message) ? $"The server answered {status}." : $"{error.Error.Message} ({status})";
        }
        catch (JsonException)
        {
            return $"The server answered {status}.";
        }
    }
}
