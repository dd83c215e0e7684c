using System.Text.Json;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>Retries, failover and time budgets for non-streamed requests (and stream starts) against scripted providers.</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private FakeUpstream _primary = null!;
    private FakeUpstream _fallback = null!;

    public async Task InitializeAsync()
    {
        _primary = await FakeUpstream.StartAsync();
        _fallback = await FakeUpstream.StartAsync();
        _fallback.Always(Behaviours.Ok("Fallback answers.", model: "upstream-fallback", promptTokens: 100));
    }

    public async Task DisposeAsync()
    {
        await _primary.DisposeAsync();
        await _fallback.DisposeAsync();
    }

    private Task<GatewayHost> Host(string routes = "chat: { fallback: [primary, fallback] }", string resilience = TestConfig.FastResilience,
        string primaryDeployment = "", TimeProvider? time = null) =>
        GatewayHost.StartAsync(TestConfig.Build(routes, resilience, "",
            new Target("primary", _primary, primaryDeployment), new Target("fallback", _fallback, "input_price: 3, output_price: 6")), time);

    [Fact]
    public async Task RateLimited429_WithRetryAfter_WaitsAsAskedThenSucceeds()
    {
        var clock = new TestClock { TimerScale = 0.01 };
        _primary.Enqueue(Behaviours.Error(429, "slow down", "rate_limit_exceeded", "rate_limit_error", retryAfterSeconds: 2));
        await using var host = await Host(time: clock);

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal("model-primary", body.GetProperty("model").GetString());
        Assert.Equal(2, _primary.Count);
        Assert.Equal(0, _fallback.Count);
        Assert.Contains(TimeSpan.FromSeconds(2), clock.RequestedDelays);
    }

    [Fact]
    public async Task PersistentRateLimit_FailsOverAndCoolsThePrimaryDown()
    {
        var clock = new TestClock { TimerScale = 0.01 };
        _primary.Always(Behaviours.Error(429, "slow down", null, "rate_limit_error", retryAfterSeconds: 1));
        await using var host = await Host(time: clock);

        var first = await host.ChatAsync(GatewayHost.Chat("chat"));
        var second = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, first.Status);
        Assert.Equal("model-fallback", first.Body.GetProperty("model").GetString());
        Assert.Equal(3, _primary.Count); // one call and two retries, then the Retry-After cooldown keeps it away
        Assert.Equal(200, second.Status);
        Assert.Contains("primary:unavailable", second.Response.Headers.GetValues("x-mote-route").Single());
    }

    [Fact]
    public async Task PersistentRateLimit_OnlyDeployment_Returns429WithRetryAfter()
    {
        _primary.Always(Behaviours.Error(429, "slow down", null, "rate_limit_error", retryAfterSeconds: 30));
        await using var host = await Host("chat: primary");

        var (status, body, response) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(429, status);
        Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(29));
        Assert.Equal(1, _primary.Count); // 30 s is longer than max_retry_after: not waited for
    }

    [Fact]
    public async Task ServerError500Once_IsRetriedOnTheSameDeployment()
    {
        _primary.Enqueue(Behaviours.Error(500, "oops"));
        _primary.Always(Behaviours.Ok("Primary recovered."));
        await using var host = await Host();

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal("Primary recovered.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, _primary.Count);
        Assert.Equal(0, _fallback.Count);
    }

    [Fact]
    public async Task PersistentServiceUnavailable_FailsOverAfterRetries_AndAccountsTheFallback()
    {
        _primary.Always(Behaviours.Error(503, "overloaded"));
        await using var host = await Host();

        var (status, body, response) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal(3, _primary.Count);
        Assert.Equal("model-fallback", body.GetProperty("model").GetString());
        Assert.Equal(100, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var header = response.Headers.GetValues("x-mote-route").Single();
        Assert.Contains("deployment=fallback", header);
        Assert.Contains("attempts=primary:server_error,fallback:ok", header);
        var row = Assert.Single(await host.LedgerAsync());
        Assert.Equal("fallback", row.Deployment);
        Assert.Equal("model-fallback", row.Model);
        Assert.Equal("primary:server_error,fallback:ok", row.Attempts);
        Assert.Equal(100, row.PromptTokens);
        Assert.Equal((100 * 3 + 2 * 6) / 1_000_000.0, row.CostUsd, 12);
    }

    [Fact]
    public async Task TcpReset_IsRetriedThenFailsOver()
    {
        _primary.Always(Behaviours.Reset());
        await using var host = await Host();

        var (status, body, response) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal("model-fallback", body.GetProperty("model").GetString());
        Assert.Equal(3, _primary.Count);
        Assert.Contains("primary:connect", response.Headers.GetValues("x-mote-route").Single());
    }

    [Fact]
    public async Task NeverAnswers_NonStreaming_TimesOutAndFailsOver()
    {
        _primary.Always(Behaviours.Hang());
        await using var host = await Host(primaryDeployment: "timeout_ms: 300, max_retries: 0");

        var (status, body, response) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal("model-fallback", body.GetProperty("model").GetString());
        Assert.Contains("primary:timeout", response.Headers.GetValues("x-mote-route").Single());
    }

    [Fact]
    public async Task NeverAnswers_Streaming_FirstTokenBudgetMovesOn()
    {
        _primary.Always(Behaviours.Hang());
        await using var host = await Host(primaryDeployment: "ttft_budget_ms: 300");

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("Fallback answers.", GatewayHost.Content(events));
        Assert.Equal("[DONE]", events[^1]);
        var row = Assert.Single(await host.LedgerAsync());
        Assert.Equal("primary:first_token_timeout,fallback:ok", row.Attempts);
    }

    [Fact]
    public async Task FirstTokenAfter20Seconds_MovesOnWithinTheBudget()
    {
        _primary.Always(Behaviours.Stream(["late ", "answer"], new StreamScript { FirstTokenDelay = TimeSpan.FromSeconds(20) }));
        await using var host = await Host(primaryDeployment: "ttft_budget_ms: 300");

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("Fallback answers.", GatewayHost.Content(events));
        var last = JsonDocument.Parse(events[^3]).RootElement;
        Assert.Equal("model-fallback", last.GetProperty("model").GetString());
        Assert.Equal(1, _primary.Count); // a missed first-token budget moves on; it is not retried
    }

    [Fact]
    public async Task ContextLengthError_MovesToALargerContextDeployment()
    {
        await using var small2 = await FakeUpstream.StartAsync();
        await using var large = await FakeUpstream.StartAsync();
        _primary.Always(Behaviours.Error(400, "This model's maximum context length is 4096 tokens.", "context_length_exceeded", "invalid_request_error"));
        large.Always(Behaviours.Ok("Plenty of room.", model: "large"));
        await using var host = await GatewayHost.StartAsync(TestConfig.Build(
            "chat: { fallback: [primary, small2, large] }", TestConfig.FastResilience, "",
            new Target("primary", _primary, "context_length: 4096"),
            new Target("small2", small2, "context_length: 4096"),
            new Target("large", large, "context_length: 128000")));

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal("model-large", body.GetProperty("model").GetString());
        Assert.Equal(1, _primary.Count);
        Assert.Equal(0, small2.Count);
    }

    [Fact]
    public async Task ContentFilterRefusal_IsNeitherRetriedNorSentElsewhere()
    {
        _primary.Always(Behaviours.Error(400, "The response was filtered due to the prompt triggering content management policy.",
            "content_filter", "invalid_request_error"));
        await using var host = await Host();

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(400, status);
        Assert.Equal("content_filter", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, _primary.Count);
        Assert.Equal(0, _fallback.Count);
    }

    [Fact]
    public async Task BadRequest_IsRelayedWithoutRetry()
    {
        _primary.Always(Behaviours.Error(400, "Unsupported parameter: 'foo'.", "unsupported_parameter", "invalid_request_error"));
        await using var host = await Host();

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(400, status);
        Assert.Equal("Unsupported parameter: 'foo'.", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, _primary.Count);
        Assert.Equal(0, _fallback.Count);
    }

    [Fact]
    public async Task FlappingPrimary_CircuitOpensThenClosesAfterAHalfOpenProbe()
    {
        var clock = new TestClock();
        _primary.Enqueue(Behaviours.Error(500, "down"), Behaviours.Error(500, "down"));
        _primary.Always(Behaviours.Ok("Primary is back."));
        await using var host = await Host(
            resilience: "resilience: { max_retries: 0, failure_threshold: 2, cooldown_ms: 30000 }", time: clock);

        await host.ChatAsync(GatewayHost.Chat("chat"));
        await host.ChatAsync(GatewayHost.Chat("chat"));
        var whileOpen = await host.ChatAsync(GatewayHost.Chat("chat"));
        var metricsWhileOpen = await host.Client.GetStringAsync("/metrics");
        clock.Advance(TimeSpan.FromSeconds(31));
        var probe = await host.ChatAsync(GatewayHost.Chat("chat"));
        var afterProbe = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal("model-fallback", whileOpen.Body.GetProperty("model").GetString());
        Assert.Contains("primary:unavailable", whileOpen.Response.Headers.GetValues("x-mote-route").Single());
        Assert.Contains("mote_gateway_circuit_state{deployment=\"primary\"} 2", metricsWhileOpen);
        Assert.Equal("model-primary", probe.Body.GetProperty("model").GetString());
        Assert.Equal("model-primary", afterProbe.Body.GetProperty("model").GetString());
        Assert.Equal(4, _primary.Count); // two failures, no call while open, the probe, then normal traffic
    }

    [Fact]
    public async Task LoadingBackend_GetsNoTrafficUntilItsHealthCheckPasses()
    {
        _primary.HealthStatus = 503;
        _primary.Always(Behaviours.Ok("Loaded now."));
        await using var host = await GatewayHost.StartAsync(TestConfig.Build(
            "chat: { fallback: [primary, fallback] }",
            "resilience: { base_delay_ms: 1, max_delay_ms: 5, readiness_interval_ms: 1 }", "",
            new Target("primary", _primary, "", "profile: llama.cpp"), new Target("fallback", _fallback)));

        var whileLoading = await host.ChatAsync(GatewayHost.Chat("chat"));
        _primary.HealthStatus = 200;
        await Task.Delay(20);
        var afterLoading = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal("model-fallback", whileLoading.Body.GetProperty("model").GetString());
        Assert.Equal("model-primary", afterLoading.Body.GetProperty("model").GetString());
        Assert.Equal(1, _primary.Count);
        Assert.True(_primary.HealthChecks >= 2);
    }

    [Fact]
    public async Task EveryDeploymentDown_Returns502WithEachAttemptNamed()
    {
        _primary.Always(Behaviours.Error(500, "primary broke"));
        _fallback.Always(Behaviours.Reset());
        await using var host = await Host(resilience: "resilience: { max_retries: 0 }");

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(502, status);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("primary (server_error", message);
        Assert.Contains("fallback (connect", message);
        var row = Assert.Single(await host.LedgerAsync());
        Assert.Equal("error", row.Status);
        Assert.Equal(502, row.HttpStatus);
    }

    [Fact]
    public async Task HedgedRoute_SlowFirstTarget_LetsTheBackupAnswerAndCancelsTheSlowOne()
    {
        _primary.Always(Behaviours.Stream(["late ", "answer"], new StreamScript { FirstTokenDelay = TimeSpan.FromSeconds(20) }));
        // The backup starts at half the budget and must answer before the primary's whole budget runs out, or the
        // primary is recorded as timed out rather than abandoned: 1.5 s of slack, not 0.3, for a loaded CI machine.
        await using var host = await Host("chat: { fallback: [primary, fallback], hedge: true }", primaryDeployment: "ttft_budget_ms: 3000");

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("Fallback answers.", GatewayHost.Content(events));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("primary:abandoned,fallback:ok", Assert.Single(await host.LedgerAsync()).Attempts);
    }

    [Fact]
    public async Task HedgedRoute_FastFirstTarget_NeverStartsTheBackup()
    {
        _primary.Always(Behaviours.Ok("Quick primary."));
        await using var host = await Host("chat: { fallback: [primary, fallback], hedge: true }", primaryDeployment: "ttft_budget_ms: 10000");

        var (_, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal("Quick primary.", GatewayHost.Content(events));
        Assert.Equal(0, _fallback.Count);
    }
}
