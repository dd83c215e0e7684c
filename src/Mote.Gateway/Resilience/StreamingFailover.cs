using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Streams an answer from the first candidate that can give one, surviving failures at any point:
/// <list type="bullet">
/// <item>before anything reached the client (including a held-back prefix): discard and restart cleanly on the next target;</item>
/// <item>after part of the answer reached the client: continue it on the next target that supports assistant prefill,
/// re-sending the conversation plus the partial answer; a target that rejects the prefill is skipped;</item>
/// <item>when no target can continue: fail with an error — a truncated answer is never reported as complete.</item>
/// </list>
/// </summary>
internal sealed class StreamingFailover(HedgedStart hedging, ILogger<StreamingFailover> logger)
{
    public async IAsyncEnumerable<ChatCompletionChunk> RunAsync(StreamJob job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new StreamState(job);
        var record = job.Record;
        var includeUsage = job.Request.StreamOptions?.IncludeUsage == true;
        var basePrompt = TokenEstimate.Prompt(job.Request);
        ProviderException? last = null;
        var minContext = 0;

        IReadOnlyList<Deployment> order = job.Candidates;
        HedgedStart.Contender? head = null;
        if (job.Hedge && job.Candidates.Count > 1)
        {
            var outcome = await hedging.RaceAsync(job.Candidates[0], job.Candidates[1], job.Request, cancellationToken).ConfigureAwait(false);
            foreach (var (failed, failure) in outcome.Failures)
            {
                record.Begin(failed).Fail(failure, null, basePrompt, 0, record.Reference);
                GatewayLog.AttemptFailed(logger, record.RequestId, failed.Name, failure.Kind.Label(), failure.Message);
                last = failure;
                if (failure.Kind.IsFinal())
                    throw GatewayErrors.FromProvider(failure);
            }
            if (outcome.Loser is { } loser)
                record.Begin(loser);
            head = outcome.Winner;
            // The winner streams first; a contender that failed is not tried again.
            order = [.. head is null ? [] : new[] { head.Deployment },
                .. job.Candidates.Where(c => c != head?.Deployment && !outcome.Failures.Any(f => f.Deployment == c))];
        }

        foreach (var deployment in order)
        {
            if (deployment.ContextLength <= minContext)
                continue;
            var continuation = state.NeedsContinuation;
            if (continuation && (!state.CanContinue || !deployment.SupportsPrefill))
                continue;

            var request = job.Request;
            var promptEstimate = basePrompt;
            if (continuation)
            {
                var partial = state.Text.ToString();
                request = Continuations.Build(job.Request, partial, deployment);
                promptEstimate += TokenEstimate.Text(partial);
                GatewayLog.ContinuingStream(logger, record.RequestId, deployment.Name, partial.Length);
            }

            var attempt = record.Begin(deployment, continuation);
            Contracts.Usage? usage = null;
            var produced = 0;
            ProviderException? failure = null;
            var chunks = head?.Deployment == deployment
                ? head.Chunks
                : deployment.Client.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            head = null;
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
                    catch (ProviderException e)
                    {
                        failure = e;
                        break;
                    }

                    if (chunk.Usage is { } reported)
                        usage = reported;
                    var output = state.Rewrite(chunk, deployment);
                    if (output is null)
                        continue;
                    if (state.Absorb(output))
                        produced++;
                    record.AnsweredBy = deployment;
                    if (state.ShouldHold)
                    {
                        state.Pending.Add(output);
                        continue;
                    }
                    state.Flushed = true;
                    for (var i = 0; i < state.Pending.Count; i++)
                        yield return state.Pending[i];
                    state.Pending.Clear();
                    yield return output;
                }
            }
            finally
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
            }

            if (failure is null)
            {
                attempt.Succeed(usage, promptEstimate, produced, record.Reference);
                record.AnsweredBy = deployment;
                // A short answer may have been held back whole.
                state.Flushed = true;
                for (var i = 0; i < state.Pending.Count; i++)
                    yield return state.Pending[i];
                state.Pending.Clear();
                if (includeUsage)
                    yield return state.UsageChunk(deployment, Contracts.Usage.Of(record.PromptTokens, record.CompletionTokens));
                yield break;
            }

            // A continuation that the target refuses (400) is a prefill rejection, not the client's fault.
            var kind = continuation && failure.Kind.IsFinal() ? FailureKind.PrefillRejected : failure.Kind;
            var classified = kind == failure.Kind ? failure : new ProviderException(kind, failure.Message, failure);
            attempt.Fail(classified, usage, promptEstimate, produced, record.Reference);
            GatewayLog.AttemptFailed(logger, record.RequestId, deployment.Name, kind.Label(), failure.Message);
            last = classified;
            record.AnsweredBy = null;

            if (!state.NeedsContinuation && kind.IsFinal())
                throw GatewayErrors.FromProvider(failure);
            state.Restart();
            if (kind == FailureKind.ContextLength && deployment.Config.ContextLength is { } size)
                minContext = Math.Max(minContext, size);
        }

        if (state.NeedsContinuation)
            throw GatewayErrors.StreamBroken(job.Route, record, state.Text.Length, state.CanContinue);
        throw GatewayErrors.AllFailed(job.Route, record, last);
    }
}
