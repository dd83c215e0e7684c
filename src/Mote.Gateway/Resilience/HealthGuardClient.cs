using System.Runtime.CompilerServices;
using Mote.Contracts;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Keeps traffic away from unhealthy deployments: rejects calls at once while the circuit is open (or the backend
/// is still loading), and reports every outcome — including failures in the middle of a stream — to the circuit.
/// </summary>
internal sealed class HealthGuardClient(IChatCompletionClient inner, CircuitBreaker circuit, ReadinessGate? readiness, string name)
    : IChatCompletionClient
{
    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var isProbe = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await inner.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
            circuit.OnSuccess(isProbe);
            return response;
        }
        catch (ProviderException e)
        {
            Fail(e, isProbe);
            throw;
        }
        catch
        {
            circuit.OnAbandon(isProbe);
            throw;
        }
    }

    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var isProbe = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        var verdict = false;
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
                    verdict = true;
                    Fail(e, isProbe);
                    throw;
                }
                yield return chunks.Current;
            }
            verdict = true;
            circuit.OnSuccess(isProbe);
        }
        finally
        {
            // Cancelled, or abandoned by the consumer: no verdict on this deployment's health.
            if (!verdict)
                circuit.OnAbandon(isProbe);
            await chunks.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        if (!circuit.TryAcquire(out var retryIn, out var isProbe))
        {
            throw new ProviderException(FailureKind.Unavailable,
                $"{name} is cooling down after failures (circuit open, next try in {retryIn.TotalSeconds:0.#} s).")
            {
                RetryAfter = retryIn,
            };
        }
        if (readiness is not null && !await readiness.IsReadyAsync(cancellationToken).ConfigureAwait(false))
        {
            circuit.OnAbandon(isProbe);
            throw new ProviderException(FailureKind.Unavailable, $"{name} is not ready yet (its health check says it is loading).");
        }
        return isProbe;
    }

    private void Fail(ProviderException e, bool isProbe)
    {
        circuit.OnFailure(e.Kind, e.RetryAfter, isProbe);
        if (e.Kind is FailureKind.Connect)
            readiness?.Invalidate();
    }
}
