using System.Runtime.CompilerServices;
using Mote.Contracts;
using Mote.Gateway.Cascade;
using Mote.Gateway.Configuration;
using Mote.Gateway.Keys;
using Mote.Gateway.Resilience;
using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway;

/// <summary>
/// The gateway's front door: resolves a request's model to a route, admits it (key, budget, limits, local-only),
/// runs it — a cascade, or failover over the route's ordered candidates — and closes its books before the answer
/// completes. HTTP-agnostic; the server maps it to <c>/v1/chat/completions</c>.
/// </summary>
public sealed class ChatGateway
{
    private readonly GatewayConfigStore _store;
    private readonly Admission _admission;
    private readonly UsageAccounting _accounting;
    private readonly FailoverExecutor _failover;
    private readonly StreamingFailover _streaming;
    private readonly CascadeExecutor _cascade;
    private readonly TimeProvider _time;

    internal ChatGateway(
        GatewayConfigStore store, Admission admission, UsageAccounting accounting, FailoverExecutor failover,
        StreamingFailover streaming, CascadeExecutor cascade, TimeProvider time)
    {
        _store = store;
        _admission = admission;
        _accounting = accounting;
        _failover = failover;
        _streaming = streaming;
        _cascade = cascade;
        _time = time;
    }

    /// <summary>The public model names: every route, in configuration order.</summary>
    public IReadOnlyList<string> Models => [.. _store.Current.Config.Routes.Keys];

    /// <summary>True when <paramref name="model"/> resolves to a route (or to <c>provider/model</c> when allowed).</summary>
    public bool HasModel(string model) => _store.Current.Resolve(model) is not null;

    /// <summary>Runs a non-streamed request. Errors the client should see are <see cref="GatewayException"/>s.</summary>
    public async Task<ChatCompletionResponse> CompleteAsync(
        ChatCompletionRequest request, GatewayCall call, CancellationToken cancellationToken)
    {
        var (route, record, context, localOnly, why) = await BeginAsync(request, call, stream: false, cancellationToken).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(route.Deadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            ChatCompletionResponse response;
            Deployment answeredBy;
            if (route.Cascade is { } plan)
            {
                var outcome = await _cascade.RunAsync(route, plan, context, localOnly, why, record, linked.Token).ConfigureAwait(false);
                if (outcome.Accepted is not null)
                    (response, answeredBy) = (outcome.Accepted, outcome.AcceptedBy!);
                else
                    (response, answeredBy, _) = await _failover.CompleteAsync(route.Name, outcome.FinalTier!, request, record, linked.Token).ConfigureAwait(false);
            }
            else
            {
                var candidates = Candidates(route, context, localOnly, why);
                (response, answeredBy, _) = await _failover.CompleteAsync(route.Name, candidates, request, record, linked.Token).ConfigureAwait(false);
            }

            record.AnsweredBy = answeredBy;
            record.TtftMs = _time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
            record.Succeed();
            call.Deployment = answeredBy.Name;
            return Present(response, request, answeredBy, record);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = GatewayErrors.Deadline(route.Name, route.Deadline);
            record.Fail(error.StatusCode, error.Message);
            throw error;
        }
        catch (GatewayException e)
        {
            record.Fail(e.StatusCode, e.Message);
            throw;
        }
        finally
        {
            call.RouteHeader = record.Header();
            await _accounting.CompleteAsync(call, record).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a streamed request. Errors before the first chunk are thrown from the first <c>MoveNextAsync</c> (the
    /// server can still answer with an error status); errors after it mean the answer is incomplete.
    /// The sequence completes only after the ledger row is durable.
    /// </summary>
    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, GatewayCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (route, record, context, localOnly, why) = await BeginAsync(request, call, stream: true, cancellationToken).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(route.Deadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var id = RandomIds.New("chatcmpl-", 24);
        var created = _time.GetUtcNow().ToUnixTimeSeconds();
        IAsyncEnumerator<ChatCompletionChunk>? chunks = null;
        try
        {
            try
            {
                chunks = await OpenStreamAsync(route, request, context, localOnly, why, record, id, created, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (Fail(e, route, record, deadline, cancellationToken) is { } error)
            {
                throw error;
            }

            var first = true;
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                        break;
                }
                catch (Exception e) when (Fail(e, route, record, deadline, cancellationToken) is { } error)
                {
                    throw error;
                }
                if (first)
                {
                    first = false;
                    record.TtftMs = _time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
                    call.Deployment = record.AnsweredBy?.Name;
                    call.RouteHeader = record.Header();
                }
                yield return chunks.Current;
            }
            record.Succeed();
            call.Deployment = record.AnsweredBy?.Name;
        }
        finally
        {
            if (chunks is not null)
                await chunks.DisposeAsync().ConfigureAwait(false);
            call.RouteHeader ??= record.Header();
            await _accounting.CompleteAsync(call, record).ConfigureAwait(false);
        }
    }

    private async Task<IAsyncEnumerator<ChatCompletionChunk>> OpenStreamAsync(
        Route route, ChatCompletionRequest request, RoutingContext context, bool localOnly, string why,
        CallRecord record, string id, long created, CancellationToken cancellationToken)
    {
        IReadOnlyList<Deployment> candidates;
        if (route.Cascade is { } plan)
        {
            var outcome = await _cascade.RunAsync(route, plan, context, localOnly, why, record, cancellationToken).ConfigureAwait(false);
            if (outcome.Accepted is { } accepted)
            {
                record.AnsweredBy = outcome.AcceptedBy;
                var presented = Present(accepted, request, outcome.AcceptedBy!, record);
                return Replay(presented, request, id, created);
            }
            candidates = outcome.FinalTier!;
        }
        else
        {
            candidates = Candidates(route, context, localOnly, why);
        }
        var job = new StreamJob(route.Name, candidates, request, record, route.StreamBufferChars, id, created, route.Hedge);
        return _streaming.RunAsync(job, cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    private static IAsyncEnumerator<ChatCompletionChunk> Replay(
        ChatCompletionResponse response, ChatCompletionRequest request, string id, long created)
    {
        var chunks = ResponseChunks.From(response, id, created, response.Model).ToList();
        if (request.StreamOptions?.IncludeUsage == true)
            chunks.Add(new ChatCompletionChunk { Id = id, Created = created, Model = response.Model, Usage = response.Usage });
        return new ReplayEnumerator(chunks);
    }

    /// <summary>An already complete list of chunks, served through the streaming interface.</summary>
    private sealed class ReplayEnumerator(List<ChatCompletionChunk> chunks) : IAsyncEnumerator<ChatCompletionChunk>
    {
        private int _index = -1;

        public ChatCompletionChunk Current => chunks[_index];

        public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(++_index < chunks.Count);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private async Task<(Route, CallRecord, RoutingContext, bool LocalOnly, string Why)> BeginAsync(
        ChatCompletionRequest request, GatewayCall call, bool stream, CancellationToken cancellationToken)
    {
        ChatRequestValidator.Validate(request);
        var runtime = _store.Current;
        var route = runtime.Resolve(request.Model!) ?? throw GatewayErrors.ModelNotFound(request.Model!);
        await _admission.AdmitAsync(call, route, cancellationToken).ConfigureAwait(false);

        var localOnly = route.LocalOnly || call.Key?.LocalOnly == true || call.LocalOnlyRequested;
        var why = route.LocalOnly ? $"route '{route.Name}' is local-only"
            : call.Key?.LocalOnly == true ? $"API key '{call.Key.Name}' is local-only"
            : "the request asked for local-only";
        var record = new CallRecord
        {
            RequestId = call.RequestId,
            KeyId = call.Key?.Id,
            Route = route.Name,
            Stream = stream,
            StartedAt = _time.GetUtcNow(),
            StartTimestamp = _time.GetTimestamp(),
            Reference = route.Reference,
        };
        if (localOnly)
            record.Decisions.Add("policy=local-only");
        var context = new RoutingContext(request, TokenEstimate.Prompt(request), Random.Shared);
        return (route, record, context, localOnly, why);
    }

    private static List<Deployment> Candidates(Route route, RoutingContext context, bool localOnly, string why)
    {
        var candidates = CandidatePlanner.Plan(route.Target!, context, localOnly);
        return candidates.Count > 0 ? candidates : throw CandidatePlanner.WhyEmpty(route, route.Target!, context, localOnly, why);
    }

    /// <summary>
    /// The answer as the client sees it: the model that really answered, usage summed over every attempt that
    /// consumed tokens, and log-probabilities only if the client asked for them (a cascade asks on its own behalf).
    /// </summary>
    private static ChatCompletionResponse Present(
        ChatCompletionResponse response, ChatCompletionRequest request, Deployment answeredBy, CallRecord record)
    {
        var choices = response.Choices;
        if (request.Logprobs != true && choices.Any(c => c.Logprobs is not null))
            choices = choices.Select(c => c with { Logprobs = null }).ToList();
        var usage = record.Attempts.Count == 1 && response.Usage is not null
            ? response.Usage
            : Contracts.Usage.Of(record.PromptTokens, record.CompletionTokens);
        return response with { Model = answeredBy.Model, Choices = choices, Usage = usage };
    }

    /// <summary>Maps a failure inside a stream to the client-facing error, recording it; null to rethrow as is.</summary>
    private static GatewayException? Fail(
        Exception exception, Route route, CallRecord record, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        GatewayException? error = exception switch
        {
            OperationCanceledException when deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                => GatewayErrors.Deadline(route.Name, route.Deadline),
            GatewayException gateway => gateway,
            _ => null,
        };
        if (error is not null)
            record.Fail(error.StatusCode, error.Message);
        // Rethrowing the same GatewayException object keeps its stack; a new one only for the deadline.
        return error;
    }
}
