using Mote.Contracts;

namespace Mote.Gateway;

/// <summary>
/// The one interface the gateway needs from a model provider: a cloud API adapter, an OpenAI-compatible server,
/// or the in-process engine. Failures are reported as <see cref="ProviderException"/> so that retries and
/// failover can tell a broken connection from a bad request.
/// </summary>
public interface IChatCompletionClient
{
    /// <summary>Runs a non-streamed chat completion. <paramref name="request"/> already names the upstream model.</summary>
    Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Streams a chat completion as typed chunks. The sequence ends normally only when the provider signalled the
    /// end of the answer (OpenAI's <c>[DONE]</c>, Anthropic's <c>message_stop</c>); a stream that simply stops
    /// throws <see cref="ProviderException"/> with <see cref="FailureKind.StreamIncomplete"/>.
    /// </summary>
    IAsyncEnumerable<ChatCompletionChunk> StreamAsync(ChatCompletionRequest request, CancellationToken cancellationToken);
}
