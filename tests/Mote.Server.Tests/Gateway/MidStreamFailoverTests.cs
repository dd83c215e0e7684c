using System.Text.Json;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>Streams that break, stall, send garbage or stop early, and how the answer is continued or failed.</summary>
public sealed class MidStreamFailoverTests : IAsyncLifetime
{
    private static readonly List<string> s_sixty = Enumerable.Range(1, 60).Select(i => $"w{i} ").ToList();
    private static readonly string s_whole = string.Concat(s_sixty);

    private FakeUpstream _primary = null!;
    private FakeUpstream _fallback = null!;

    public async Task InitializeAsync()
    {
        _primary = await FakeUpstream.StartAsync();
        _fallback = await FakeUpstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _primary.DisposeAsync();
        await _fallback.DisposeAsync();
    }

    /// <summary>The fallback continues from wherever the prefill says the answer stopped.</summary>
    private static Behaviour ContinueFromPrefill() => (context, request) =>
    {
        var prefix = request.LastMessage.GetProperty("content").GetString()!;
        var done = s_sixty.Count(p => prefix.Contains(p, StringComparison.Ordinal));
        return Behaviours.Stream(s_sixty.Skip(done).ToList(), new StreamScript { Model = "upstream-fallback" })(context, request);
    };

    private Task<GatewayHost> Host(string fallbackProvider = "prefill: true", string routeExtra = "", string primaryDeployment = "") =>
        GatewayHost.StartAsync(TestConfig.Build($"chat: {{ fallback: [primary, fallback]{routeExtra} }}", TestConfig.FastResilience, "",
            new Target("primary", _primary, primaryDeployment), new Target("fallback", _fallback, "", fallbackProvider)));

    [Fact]
    public async Task StreamCutAfter40Of60Chunks_ContinuesOnTheFallbackFromThePartialAnswer()
    {
        _primary.Always(Behaviours.Stream(s_sixty, new StreamScript { CutAfter = 40 }));
        _fallback.Always(ContinueFromPrefill());
        await using var host = await Host();

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal(s_whole, GatewayHost.Content(events));
        Assert.Equal("[DONE]", events[^1]);
        var continuation = _fallback.Requests.Single().Json.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("assistant", continuation[^1].GetProperty("role").GetString());
        Assert.Equal(string.Concat(s_sixty.Take(40)), continuation[^1].GetProperty("content").GetString());
        Assert.Equal("user", continuation[^2].GetProperty("role").GetString());

        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Single(chunks, c => c.GetProperty("choices").GetArrayLength() > 0
            && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("role", out _));
        Assert.Equal("model-fallback", chunks[^1].GetProperty("model").GetString());
        // Usage covers both attempts: 40 tokens streamed by the primary (estimated) and 20 by the fallback.
        Assert.Equal(60, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var row = Assert.Single(await host.LedgerAsync());
        Assert.Equal("ok", row.Status);
        Assert.Equal("fallback", row.Deployment);
        Assert.Equal("primary:stream_broken,fallback:ok+prefill", row.Attempts);
        Assert.Equal(60, row.CompletionTokens);
    }

    [Fact]
    public async Task StalledStream_ContinuesAfterTheInterTokenBudget()
    {
        _primary.Always(Behaviours.Stream(s_sixty, new StreamScript { StallAfter = 5 }));
        _fallback.Always(ContinueFromPrefill());
        await using var host = await Host(primaryDeployment: "inter_token_budget_ms: 300");

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal(s_whole, GatewayHost.Content(events));
        Assert.Equal("primary:stream_stalled,fallback:ok+prefill", Assert.Single(await host.LedgerAsync()).Attempts);
    }

    [Fact]
    public async Task MalformedChunk_ContinuesOnTheFallback()
    {
        _primary.Always(Behaviours.Stream(s_sixty, new StreamScript { MalformedAfter = 3 }));
        _fallback.Always(ContinueFromPrefill());
        await using var host = await Host();

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal(s_whole, GatewayHost.Content(events));
        Assert.Equal("primary:stream_malformed,fallback:ok+prefill", Assert.Single(await host.LedgerAsync()).Attempts);
    }

    [Fact]
    public async Task StreamEndingWithoutDoneOrFinishReason_IsContinuedNotTakenAsComplete()
    {
        _primary.Always(Behaviours.Stream(s_sixty, new StreamScript { EndAfter = 4 }));
        _fallback.Always(ContinueFromPrefill());
        await using var host = await Host();

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal(s_whole, GatewayHost.Content(events));
        Assert.Equal("primary:stream_incomplete,fallback:ok+prefill", Assert.Single(await host.LedgerAsync()).Attempts);
    }

    [Fact]
    public async Task FallbackRejectingPrefill_IsSkippedForOneThatAccepts()
    {
        await using var accepter = await FakeUpstream.StartAsync();
        _primary.Always(Behaviours.Stream(s_sixty, new StreamScript { CutAfter = 10 }));
        _fallback.Always(Behaviours.Error(400, "Assistant message prefill is not supported for this model.", null, "invalid_request_error"));
        accepter.Always(ContinueFromPrefill());
        await using var host = await GatewayHost.StartAsync(TestConfig.Build(
            "chat: { fallback: [primary, fallback, accepter] }", TestConfig.FastResilience, "",
            new Target("primary", _primary), new Target("fallback", _fallback, "", "prefill: true"),
            new Target("accepter", accepter, "", "prefill: true")));

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal(s_whole, GatewayHost.Content(events));
        Assert.Equal(1, _fallback.Count);
        var row = Assert.Single(await host.LedgerAsync());
        Assert.Equal("primary:stream_broken,fallback:prefill_rejected+prefill,accepter:ok+prefill", row.Attempts);
        Assert.Equal("accepter", row.Deployment);
    }

    [Fact]
    public async Task BrokenStream_WithNoFallbackAbleToContinue_EndsWithAnErrorAndNoDone()
    {
        _primary.Always(Behaviours.Stream(s_sixty, new StreamScript { CutAfter = 10 }));
        _fallback.Always(Behaviours.Ok("A different answer."));
        await using var host = await Host(fallbackProvider: "prefill: false");

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.DoesNotContain("[DONE]", events);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("stream_interrupted", error.GetProperty("code").GetString());
        Assert.Equal(string.Concat(s_sixty.Take(10)), GatewayHost.Content(events.SkipLast(1)));
        Assert.Equal(0, _fallback.Count); // restarting it would have repeated or contradicted what the client has
        var row = Assert.Single(await host.LedgerAsync());
        Assert.Equal("error", row.Status);
    }

    [Fact]
    public async Task BreakInsideTheBufferedPrefix_RestartsCleanlyOnAFallbackWithoutPrefill()
    {
        _primary.Always(Behaviours.Stream(s_sixty, new StreamScript { CutAfter = 5 }));
        _fallback.Always(Behaviours.Ok("Clean restart answer."));
        await using var host = await Host(fallbackProvider: "prefill: false", routeExtra: ", stream_buffer_chars: 200");

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("Clean restart answer.", GatewayHost.Content(events));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("user", _fallback.Requests.Single().LastMessage.GetProperty("role").GetString());
    }

    [Fact]
    public async Task FailureBeforeTheFirstChunk_ReturnsAStatusCodeNotAStream()
    {
        _primary.Always(Behaviours.Error(500, "down"));
        _fallback.Always(Behaviours.Error(503, "also down"));
        await using var host = await Host();

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(502, status);
        Assert.Equal("upstream_failed", body.GetProperty("error").GetProperty("code").GetString());
    }
}
