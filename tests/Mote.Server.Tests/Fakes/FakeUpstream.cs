using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mote.Server.Tests.Fakes;

/// <summary>What a fake provider does with one request.</summary>
public delegate Task Behaviour(HttpContext context, RecordedRequest request);

/// <summary>A request the fake provider received.</summary>
public sealed record RecordedRequest(string Path, string Body, IHeaderDictionary Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public bool IsStream => Json.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;

    /// <summary>The last message of an OpenAI or Anthropic request.</summary>
    public JsonElement LastMessage => Json.GetProperty("messages").EnumerateArray().Last();
}

/// <summary>
/// A scripted OpenAI-compatible (and Anthropic) provider on 127.0.0.1: each request takes the next queued
/// behaviour, or the default one. Records every request.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Behaviour> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private Behaviour _default = Behaviours.Ok("Hello from the fake.");

    private FakeUpstream(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Health answer for <c>/health</c> (llama.cpp readiness): 200 unless set.</summary>
    public int HealthStatus { get; set; } = 200;

    public int HealthChecks => _healthChecks;

    private int _healthChecks;

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.MapGet("/health", (HttpContext context) =>
        {
            Interlocked.Increment(ref fake._healthChecks);
            context.Response.StatusCode = fake.HealthStatus;
            return Task.CompletedTask;
        });
        app.MapPost("/{**path}", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Urls.First() + "/v1";
        return fake;
    }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int Count => _requests.Count;

    public FakeUpstream Enqueue(params Behaviour[] behaviours)
    {
        foreach (var behaviour in behaviours)
            _script.Enqueue(behaviour);
        return this;
    }

    /// <summary>What to do once the queued behaviours are used up.</summary>
    public FakeUpstream Always(Behaviour behaviour)
    {
        _default = behaviour;
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        // Kestrel reuses header collections after the request: keep a copy.
        var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
        var request = new RecordedRequest(context.Request.Path, body, headers);
        _requests.Enqueue(request);
        var behaviour = _script.TryDequeue(out var next) ? next : _default;
        try
        {
            await behaviour(context, request);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The gateway gave up on us (budget, hedging): fine.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
