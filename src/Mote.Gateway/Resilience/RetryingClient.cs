using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Polly;
using Polly.Retry;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Retries transient failures (connect errors, timeouts, 429, 5xx) on the same deployment with exponential
/// back-off and jitter, waiting exactly as long as a Retry-After asks. A stream is retried only until its first
/// chunk arrived; after that a failure belongs to mid-stream failover.
/// </summary>
internal sealed class RetryingClient : IChatCompletionClient
{
    private readonly IChatCompletionClient _inner;
    private readonly ResiliencePipeline _pipeline;

    public RetryingClient(IChatCompletionClient inner, RetrySettings settings, TimeProvider time, ILogger logger, string name)
    {
        _inner = inner;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is ProviderException e && e.Kind.IsRetryable()
                    && !(e.RetryAfter > settings.MaxRetryAfter)),
                DelayGenerator = static args => ValueTask.FromResult(
                    args.Outcome.Exception is ProviderException { RetryAfter: { } wait } ? (TimeSpan?)wait : null),
                OnRetry = args =>
                {
                    GatewayLog.Retrying(logger, name, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            })
            .Build();
    }

    public Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<ChatCompletionResponse>(state._inner.CompleteAsync(state.request, token)),
            (_inner, request),
            cancellationToken).AsTask();

    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (chunks, hasFirst) = await _pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                var enumerator = state._inner.StreamAsync(state.request, state.cancellationToken)
                    .GetAsyncEnumerator(state.cancellationToken);
                try
                {
                    var has = await enumerator.MoveNextAsync().ConfigureAwait(false);
                    return (enumerator, has);
                }
                catch
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            },
            (_inner, request, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        try
        {
            if (!hasFirst)
                yield break;
            yield return chunks.Current;
            while (await chunks.MoveNextAsync().ConfigureAwait(false))
                yield return chunks.Current;
        }
        finally
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
        }
    }
}
