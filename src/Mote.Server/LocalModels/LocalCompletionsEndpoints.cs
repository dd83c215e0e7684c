using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Server.Http;
using Mote.Server.LocalModels.Scheduling;

namespace Mote.Server.LocalModels;

/// <summary>
/// <c>POST /v1/completions</c> (the legacy raw-prompt API) for local models, addressed by their public name. The
/// gateway routes chat only, so these requests go straight to the model's scheduler: no failover, and no ledger row.
/// </summary>
internal static class LocalCompletionsEndpoints
{
    public static IEndpointRouteBuilder MapLocalCompletions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/v1").AddEndpointFilter<KeyAuthFilter>().MapPost("/completions", HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, LocalModelCatalog catalog)
    {
        var cancellation = context.RequestAborted;
        var request = await RequestJson.ReadAsync(context.Request, MoteJsonContext.Default.CompletionRequest, cancellation);
        if (string.IsNullOrWhiteSpace(request.Model))
            throw new GatewayException(400, ErrorResponse.Create("'model' is required.", ErrorTypes.InvalidRequest, "invalid_request", "model"));
        var host = catalog.Resolve(request.Model) ?? throw new GatewayException(404, ErrorResponse.Create(
            $"The model '{request.Model}' is not a local model of this server; /v1/completions serves local models only.",
            ErrorTypes.InvalidRequest, "model_not_found", "model"));

        int[] prompt;
        GenerationJob job;
        LoadedModel model;
        try
        {
            model = host.Get();
            GenerationSettings settings;
            (prompt, settings) = RequestPlanner.ForCompletion(model, request);
            job = model.Submit(prompt, settings);
        }
        catch (ProviderException e)
        {
            throw ToClientError(e);
        }

        using var registration = cancellation.Register(job.Cancel);
        try
        {
            var id = RandomIds.New("cmpl-", 24);
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var echo = request.Echo == true ? Echo(request) : "";
            if (request.IsStreaming)
                await StreamAsync(context, request, job, prompt.Length, id, created, echo, cancellation);
            else
                await CompleteAsync(context, request, job, prompt.Length, id, created, echo, cancellation);
        }
        finally
        {
            job.Cancel();
        }
    }

    private static async Task CompleteAsync(HttpContext context, CompletionRequest request, GenerationJob job, int promptTokens,
        string id, long created, string echo, CancellationToken cancellation)
    {
        var n = job.Settings.Choices;
        var text = new StringBuilder[n];
        var finish = new string?[n];
        var logprobs = new CompletionLogprobsBuilder?[n];
        for (var i = 0; i < n; i++)
        {
            text[i] = new StringBuilder(echo);
            logprobs[i] = job.Settings.Logprobs ? new CompletionLogprobsBuilder() : null;
        }
        var completionTokens = 0;
        await foreach (var e in job.Events.ReadAllAsync(cancellation))
        {
            if (e.Error is ProviderException error)
                throw ToClientError(error);
            if (e.FinishReason is null)
            {
                completionTokens++;
                if (e.Logprob is { } logprob)
                    logprobs[e.Choice]!.Add(logprob, text[e.Choice].Length);
            }
            text[e.Choice].Append(e.Text);
            if (e.FinishReason is not null)
                finish[e.Choice] = e.FinishReason;
        }
        var response = new CompletionResponse
        {
            Id = id,
            Created = created,
            Model = request.Model!,
            Choices = [.. Enumerable.Range(0, n).Select(i => new CompletionChoice
            {
                Index = i,
                Text = text[i].ToString(),
                FinishReason = finish[i] ?? FinishReasons.Stop,
                Logprobs = logprobs[i]?.Build(),
            })],
            Usage = Usage.Of(promptTokens, completionTokens),
        };
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, response, MoteJsonContext.Default.CompletionResponse, cancellation);
    }

    private static async Task StreamAsync(HttpContext context, CompletionRequest request, GenerationJob job, int promptTokens,
        string id, long created, string echo, CancellationToken cancellation)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        var completionTokens = 0;
        if (echo.Length > 0)
            for (var i = 0; i < job.Settings.Choices; i++)
                await WriteAsync(response, Event(id, created, request.Model!, new CompletionChoice { Index = i, Text = echo }), cancellation);
        await foreach (var e in job.Events.ReadAllAsync(cancellation))
        {
            if (e.Error is { } error)
            {
                var failure = error is ProviderException p ? ToClientError(p).Error : ErrorResponse.Create(error.Message, ErrorTypes.Server);
                await WriteAsync(response, failure, cancellation);
                return;
            }
            if (e.FinishReason is null)
                completionTokens++;
            if (e.Text.Length == 0 && e.FinishReason is null && e.Logprob is null)
                continue;
            CompletionLogprobs? logprobs = null;
            if (e.Logprob is { } logprob)
            {
                var builder = new CompletionLogprobsBuilder();
                builder.Add(logprob, 0);
                logprobs = builder.Build();
            }
            await WriteAsync(response, Event(id, created, request.Model!, new CompletionChoice
            {
                Index = e.Choice,
                Text = e.Text,
                FinishReason = e.FinishReason,
                Logprobs = logprobs,
            }), cancellation);
        }
        if (request.StreamOptions?.IncludeUsage == true)
            await WriteAsync(response, new CompletionResponse { Id = id, Created = created, Model = request.Model!, Usage = Usage.Of(promptTokens, completionTokens) }, cancellation);
        await response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), cancellation);
        await response.Body.FlushAsync(cancellation);
    }

    private static CompletionResponse Event(string id, long created, string model, CompletionChoice choice) =>
        new() { Id = id, Created = created, Model = model, Choices = [choice] };

    private static async Task WriteAsync<T>(HttpResponse response, T value, CancellationToken cancellation)
    {
        var json = typeof(T) == typeof(ErrorResponse)
            ? JsonSerializer.SerializeToUtf8Bytes(value as ErrorResponse, MoteJsonContext.Default.ErrorResponse)
            : JsonSerializer.SerializeToUtf8Bytes(value as CompletionResponse, MoteJsonContext.Default.CompletionResponse);
        await response.Body.WriteAsync("data: "u8.ToArray(), cancellation);
        await response.Body.WriteAsync(json, cancellation);
        await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellation);
        await response.Body.FlushAsync(cancellation);
    }

    private static string Echo(CompletionRequest request) => request.Prompt?.Texts is [var text] ? text : "";

    /// <summary>A local model's failure as the client sees it (the gateway's classification of the same failures).</summary>
    private static GatewayException ToClientError(ProviderException e) => e.Kind switch
    {
        FailureKind.Overloaded => new GatewayException(429, e.UpstreamError ?? ErrorResponse.Create(e.Message, ErrorTypes.RateLimit), e.RetryAfter),
        FailureKind.BadRequest => new GatewayException(400, e.UpstreamError ?? ErrorResponse.Create(e.Message, ErrorTypes.InvalidRequest)),
        FailureKind.ContextLength => new GatewayException(400, ErrorResponse.Create(e.Message, ErrorTypes.InvalidRequest, "context_length_exceeded", "prompt")),
        FailureKind.Unavailable => new GatewayException(503, ErrorResponse.Create(e.Message, ErrorTypes.Upstream, "model_not_ready")),
        FailureKind.Timeout => new GatewayException(504, ErrorResponse.Create(e.Message, ErrorTypes.Upstream, "timeout")),
        _ => new GatewayException(500, ErrorResponse.Create(e.Message, ErrorTypes.Server, "local_model_failed")),
    };

    /// <summary>The legacy parallel-array log-probabilities, filled token by token.</summary>
    private sealed class CompletionLogprobsBuilder
    {
        private readonly List<string> _tokens = [];
        private readonly List<double?> _logprobs = [];
        private readonly List<Dictionary<string, double>?> _top = [];
        private readonly List<int> _offsets = [];

        public void Add(TokenLogprob logprob, int offset)
        {
            _tokens.Add(logprob.Token);
            _logprobs.Add(logprob.Logprob);
            var top = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var alternative in logprob.TopLogprobs ?? [])
                top.TryAdd(alternative.Token, alternative.Logprob);
            _top.Add(top);
            _offsets.Add(offset);
        }

        public CompletionLogprobs Build() => new() { Tokens = _tokens, TokenLogprobs = _logprobs, TopLogprobs = _top, TextOffset = _offsets };
    }
}
