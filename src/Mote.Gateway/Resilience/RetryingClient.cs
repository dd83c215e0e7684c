using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Mote.Contracts;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Retries transient failures (connect errors, timeouts, 429, 5xx) on the same deployment with exponential
/// back-off and jitter, waiting exactly as long as a Retry-After asks. A stream is retried only until its first
/// chunk arrived; after that a failure belongs to mid-stream failover.
/// A plain loop rather than a Polly pipeline: the call that succeeds at once — nearly every call — then costs one
/// try/catch instead of a pipeline's state machines, outcome wrappers and context pooling.
/// </summary>
internal sealed class RetryingClient(
    IChatCompletionClient inner, RetrySettings settings, TimeProvider time, ILogger logger, string name) : IChatCompletionClient
{
    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await inner.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ProviderException e) when (ShouldRetry(e, attempt))
            {
                await WaitAsync(e, attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<ChatCompletionChunk> chunks;
        bool hasFirst;
        for (var attempt = 0; ; attempt++)
        {
            chunks = inner.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                hasFirst = await chunks.MoveNextAsync().ConfigureAwait(false);
                break;
            }
            catch (ProviderException e) when (ShouldRetry(e, attempt))
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
                await WaitAsync(e, attempt, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

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

    private bool ShouldRetry(ProviderException e, int attempt) =>
        attempt < settings.MaxRetries && e.Kind.IsRetryable() && !(e.RetryAfter > settings.MaxRetryAfter);

    private Task WaitAsync(ProviderException e, int attempt, CancellationToken cancellationToken)
    {
        var delay = e.RetryAfter ?? Backoff(settings, attempt, Random.Shared.NextDouble());
        GatewayLog.Retrying(logger, name, attempt + 1, delay.TotalMilliseconds, e.Message);
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);
    }

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> + 1 (0-based): <c>base · 2^attempt</c> capped at the maximum,
    /// of which the upper half is jitter (<paramref name="random"/> in [0, 1)), so that callers failing together
    /// spread out.
    /// </summary>
    internal static TimeSpan Backoff(RetrySettings settings, int attempt, double random)
    {
        var ceiling = Math.Min(settings.MaxDelay.Ticks, settings.BaseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromTicks((long)(ceiling * (0.5 + 0.5 * random)));
    }
}
