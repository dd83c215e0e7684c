using System.Text.Json;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>Cheap tier first, judged by its own log-probabilities (and JSON validity), escalating when weak.</summary>
public sealed class CascadeTests : IAsyncLifetime
{
    private FakeUpstream _cheap = null!;
    private FakeUpstream _big = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        _cheap = await FakeUpstream.StartAsync();
        _big = await FakeUpstream.StartAsync();
        _big.Always(Behaviours.Ok("""{"answer": "from the big model"}""", promptTokens: 20));
        _host = await GatewayHost.StartAsync(TestConfig.Build("""
            hybrid:
              cascade: { tiers: [cheap, big], min_mean_logprob: -0.5, min_token_logprob: -3 }
            """, "resilience: { max_retries: 0 }", "",
            new Target("cheap", _cheap),
            new Target("big", _big, "input_price: 5, output_price: 15", "local: false")));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _cheap.DisposeAsync();
        await _big.DisposeAsync();
    }

    [Fact]
    public async Task ConfidentCheapAnswer_IsAccepted_AndTheSavingIsRecorded()
    {
        _cheap.Always(Behaviours.Ok("Paris is the capital.", logprob: -0.05, promptTokens: 20));

        var (status, body, response) = await _host.ChatAsync(GatewayHost.Chat("hybrid"));

        Assert.Equal(200, status);
        Assert.Equal("model-cheap", body.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("choices")[0].GetProperty("logprobs").ValueKind); // not asked for
        var header = response.Headers.GetValues("x-mote-route").Single();
        Assert.Contains("tier1=cheap", header);
        Assert.Contains("tier1_decision=accept", header);
        Assert.Contains("tier1_mean_logprob=-0.05", header);
        Assert.Contains("answered_tier=1", header);
        Assert.Equal(0, _big.Count);
        Assert.True(_cheap.Requests.Single().Json.GetProperty("logprobs").GetBoolean());
        var row = Assert.Single(await _host.LedgerAsync());
        Assert.Equal(0, row.CostUsd);
        Assert.Equal((20 * 5 + 4 * 15) / 1_000_000.0, row.SavedUsd, 12);
    }

    [Fact]
    public async Task LowMeanLogprob_EscalatesToTheBigModel()
    {
        _cheap.Always(Behaviours.Ok("Maybe Lyon?", logprob: -1.2));

        var (status, body, response) = await _host.ChatAsync(GatewayHost.Chat("hybrid"));

        Assert.Equal(200, status);
        Assert.Equal("model-big", body.GetProperty("model").GetString());
        var header = response.Headers.GetValues("x-mote-route").Single();
        Assert.Contains("tier1_decision=escalate", header);
        Assert.Contains("tier1_reason=mean_logprob<-0.5", header);
        Assert.Contains("answered_tier=2", header);
        Assert.Contains("attempts=cheap:rejected,big:ok", header);
        // Usage covers both tiers: 10 + 20 prompt tokens, 2 + 5 completion tokens.
        Assert.Equal(30, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task OneVeryUnlikelyToken_EscalatesByTheMinimumLogprob()
    {
        _cheap.Always(Behaviours.Ok("Perhaps.", logprob: -4));
        await using var lenient = await GatewayHost.StartAsync(TestConfig.Build("""
            hybrid:
              cascade: { tiers: [cheap, big], min_mean_logprob: -5, min_token_logprob: -3 }
            """, "resilience: { max_retries: 0 }", "", new Target("cheap", _cheap), new Target("big", _big)));

        var (_, body, response) = await lenient.ChatAsync(GatewayHost.Chat("hybrid"));

        Assert.Equal("model-big", body.GetProperty("model").GetString());
        Assert.Contains("tier1_reason=min_logprob<-3", response.Headers.GetValues("x-mote-route").Single());
    }

    [Fact]
    public async Task InvalidJson_WhenJsonWasAskedFor_Escalates()
    {
        _cheap.Always(Behaviours.Ok("answer: not json", logprob: -0.01));

        var (_, body, response) = await _host.ChatAsync(GatewayHost.Chat("hybrid", extra: ""","response_format":{"type":"json_object"}"""));

        Assert.Equal("model-big", body.GetProperty("model").GetString());
        var header = response.Headers.GetValues("x-mote-route").Single();
        Assert.Contains("tier1_json=invalid", header);
        Assert.Contains("tier1_reason=invalid_json", header);
    }

    [Fact]
    public async Task FailingCheapTier_Escalates()
    {
        _cheap.Always(Behaviours.Error(500, "cheap tier down"));

        var (status, body, response) = await _host.ChatAsync(GatewayHost.Chat("hybrid"));

        Assert.Equal(200, status);
        Assert.Equal("model-big", body.GetProperty("model").GetString());
        Assert.Contains("tier1_decision=failed", response.Headers.GetValues("x-mote-route").Single());
    }

    [Fact]
    public async Task StreamingClient_GetsTheAcceptedAnswerAsAStream()
    {
        _cheap.Always(Behaviours.Ok("Streamed after judging.", logprob: -0.01));

        var (status, events, response) = await _host.StreamAsync(GatewayHost.Chat("hybrid", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("Streamed after judging.", GatewayHost.Content(events));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("tier1_decision=accept", response.Headers.GetValues("x-mote-route").Single());
        Assert.False(_cheap.Requests.Single().IsStream); // judged as a whole, then replayed
        var usage = JsonDocument.Parse(events[^2]).RootElement.GetProperty("usage");
        Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamingClient_OnEscalation_StreamsTheBigModelLive()
    {
        _cheap.Always(Behaviours.Ok("Unsure.", logprob: -2));

        var (status, events, _) = await _host.StreamAsync(GatewayHost.Chat("hybrid", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("""{"answer": "from the big model"}""", GatewayHost.Content(events));
        Assert.True(_big.Requests.Single().IsStream);
    }
}
