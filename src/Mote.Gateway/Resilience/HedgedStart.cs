using Mote.Contracts;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Hedging for the start of a stream: if the first target has produced no token after half its first-token budget,
/// the second target is started too, and whichever produces a token first is kept; the other is cancelled.
/// </summary>
internal sealed class HedgedStart(TimeProvider time)
{
    /// <summary>One opened stream, positioned after its first token, with the chunks read to get there.</summary>
    public sealed record Contender(Deployment Deployment, IAsyncEnumerator<ChatCompletionChunk> Chunks);

    /// <summary>The outcome: the winner (or null) and the failures of contenders that lost by failing.</summary>
    public sealed record Outcome(Contender? Winner, Deployment? Loser, IReadOnlyList<(Deployment Deployment, ProviderException Failure)> Failures);

    public async Task<Outcome> RaceAsync(Deployment first, Deployment second, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var failures = new List<(Deployment, ProviderException)>();
        var delay = first.FirstTokenBudget == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(30) : first.FirstTokenBudget / 2;
        var a = Open(first, request, cancellationToken);
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var waited = Task.Delay(delay, time, timer.Token);
            if (await Task.WhenAny(a.Task, waited).ConfigureAwait(false) == a.Task)
            {
                await timer.CancelAsync().ConfigureAwait(false);
                return await Settle(a, failures).ConfigureAwait(false) is { } alone
                    ? new Outcome(alone, null, failures)
                    : new Outcome(null, null, failures);
            }
        }

        var b = Open(second, request, cancellationToken);
        var winnerTask = await Task.WhenAny(a.Task, b.Task).ConfigureAwait(false);
        var (winner, other) = winnerTask == a.Task ? (a, b) : (b, a);
        if (await Settle(winner, failures).ConfigureAwait(false) is { } kept)
        {
            await other.CancelAsync().ConfigureAwait(false);
            return new Outcome(kept, other.Deployment, failures);
        }
        return await Settle(other, failures).ConfigureAwait(false) is { } late
            ? new Outcome(late, null, failures)
            : new Outcome(null, null, failures);
    }

    private static Attempt Open(Deployment deployment, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return new Attempt(deployment, cancel, ReadToFirstTokenAsync(deployment, request, cancel.Token));
    }

    private static async Task<Contender> ReadToFirstTokenAsync(Deployment deployment, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var chunks = deployment.Client.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var prelude = new List<ChatCompletionChunk>();
        try
        {
            while (await chunks.MoveNextAsync().ConfigureAwait(false))
            {
                prelude.Add(chunks.Current);
                if (ChunkFacts.HasPayload(chunks.Current))
                    return new Contender(deployment, new Replaying(prelude, chunks));
            }
            // Ended without content but cleanly (an empty answer): still a valid stream to relay.
            return new Contender(deployment, new Replaying(prelude, chunks));
        }
        catch
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The contender if its start succeeded; otherwise records its failure and returns null.</summary>
    private static async Task<Contender?> Settle(Attempt attempt, List<(Deployment, ProviderException)> failures)
    {
        try
        {
            return await attempt.Task.ConfigureAwait(false);
        }
        catch (ProviderException e)
        {
            failures.Add((attempt.Deployment, e));
            return null;
        }
    }

    private sealed record Attempt(Deployment Deployment, CancellationTokenSource Cancel, Task<Contender> Task)
    {
        /// <summary>Stops the losing stream and releases it once its task has noticed.</summary>
        public async Task CancelAsync()
        {
            await Cancel.CancelAsync().ConfigureAwait(false);
            try
            {
                var loser = await Task.ConfigureAwait(false);
                await loser.Chunks.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ProviderException)
            {
                // A cancelled loser is expected to fail.
            }
            Cancel.Dispose();
        }
    }

    /// <summary>Serves the chunks read while racing, then the rest of the stream.</summary>
    private sealed class Replaying(List<ChatCompletionChunk> prelude, IAsyncEnumerator<ChatCompletionChunk> rest) : IAsyncEnumerator<ChatCompletionChunk>
    {
        private int _index = -1;

        public ChatCompletionChunk Current => _index < prelude.Count ? prelude[_index] : rest.Current;

        public async ValueTask<bool> MoveNextAsync()
        {
            if (++_index < prelude.Count)
                return true;
            _index = prelude.Count;
            return await rest.MoveNextAsync().ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => rest.DisposeAsync();
    }
}
