using System.Runtime.CompilerServices;
using Mote.Contracts;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Enforces a deployment's time budgets and stream integrity: no first token within budget →
/// <see cref="FailureKind.FirstTokenTimeout"/>; silence between tokens past budget →
/// <see cref="FailureKind.StreamStalled"/>; a stream that ends without any finish reason →
/// <see cref="FailureKind.StreamIncomplete"/>; a non-streamed call past its limit → <see cref="FailureKind.Timeout"/>.
/// </summary>
internal sealed class StreamGuardClient(IChatCompletionClient inner, StreamBudgets budgets, TimeProvider time, string name)
    : IChatCompletionClient
{
    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(budgets.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await inner.CompleteAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(FailureKind.Timeout, $"{name} did not answer within {Seconds(budgets.Timeout)}.", e);
        }
    }

    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        timer.CancelAfter(budgets.FirstToken);
        var started = false;
        var finished = false;
        var chunks = inner.StreamAsync(request, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                ChatCompletionChunk chunk;
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                        break;
                    chunk = chunks.Current;
                }
                catch (Exception e) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw started
                        ? new ProviderException(FailureKind.StreamStalled, $"{name} stalled for more than {Seconds(budgets.InterToken)} mid-stream.", e)
                        : new ProviderException(FailureKind.FirstTokenTimeout, $"{name} sent no first token within {Seconds(budgets.FirstToken)}.", e);
                }

                started |= ChunkFacts.HasPayload(chunk);
                finished |= ChunkFacts.HasFinish(chunk);
                // Time spent by our consumer (writing to a slow client) is not the provider's silence.
                timer.CancelAfter(Timeout.InfiniteTimeSpan);
                yield return chunk;
                timer.CancelAfter(started ? budgets.InterToken : budgets.FirstToken);
            }
        }
        finally
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
        }

        if (!finished)
            throw new ProviderException(FailureKind.StreamIncomplete, $"{name} ended the stream without a finish_reason.");
    }

    private static string Seconds(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? "forever" : $"{span.TotalSeconds:0.###} s";
}
