using System.Runtime.CompilerServices;
using Mote.Contracts;
using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Outermost decorator: counts calls and failures by class, times them, measures time to first token (feeding
/// the lowest-latency policy's moving average) and tracks calls in flight (for least-busy).
/// </summary>
internal sealed class MeteredClient(IChatCompletionClient inner, DeploymentState state, GatewayMetrics metrics, TimeProvider time, string name)
    : IChatCompletionClient
{
    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        state.Enter();
        try
        {
            var response = await inner.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(start);
            // Without a stream the whole answer is the first token; it still ranks deployments fairly.
            state.RecordTtft(elapsed.TotalMilliseconds);
            metrics.Succeeded(name, elapsed.TotalSeconds);
            return response;
        }
        catch (ProviderException e)
        {
            metrics.Failed(name, e.Kind, time.GetElapsedTime(start).TotalSeconds);
            throw;
        }
        finally
        {
            state.Leave();
        }
    }

    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var sawFirst = false;
        state.Enter();
        var chunks = inner.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                        break;
                }
                catch (ProviderException e)
                {
                    metrics.Failed(name, e.Kind, time.GetElapsedTime(start).TotalSeconds);
                    throw;
                }
                var chunk = chunks.Current;
                if (!sawFirst && ChunkFacts.HasPayload(chunk))
                {
                    sawFirst = true;
                    var ttft = time.GetElapsedTime(start);
                    state.RecordTtft(ttft.TotalMilliseconds);
                    metrics.FirstToken(name, ttft.TotalSeconds);
                }
                yield return chunk;
            }
            metrics.Succeeded(name, time.GetElapsedTime(start).TotalSeconds);
        }
        finally
        {
            state.Leave();
            await chunks.DisposeAsync().ConfigureAwait(false);
        }
    }
}
