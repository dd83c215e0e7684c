using System.Text.Json;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

public sealed class PassThroughTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _host = await GatewayHost.StartAsync($"""
            providers:
              fake: {"{"} type: openai-compatible, base_url: "{_upstream.BaseUrl}" {"}"}
            deployments:
              small: {"{"} provider: fake, model: upstream-small, input_price: 1, output_price: 2 {"}"}
            routes:
              chat: small
            resilience: {"{"} base_delay_ms: 1, max_delay_ms: 5 {"}"}
            """);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task ChatCompletions_NonStreaming_ReturnsUpstreamAnswerUnderDeploymentModel()
    {
        _upstream.Enqueue(Behaviours.Ok("Hello there friend"));

        var (status, body, response) = await _host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal("Hello there friend", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("upstream-small", body.GetProperty("model").GetString());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Contains("deployment=small", response.Headers.GetValues("x-mote-route").Single());
        Assert.Equal("upstream-small", _upstream.Requests.Single().Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task ChatCompletions_UnknownFields_ArePassedThroughToUpstream()
    {
        var body = GatewayHost.Chat("chat", extra: ""","logit_bias":{"50256":-100},"vendor_flag":{"deep":[1,2]},"stop":"END","seed":7""");

        var (status, json, _) = await _host.ChatAsync(body);

        Assert.True(status == 200, json.ToString());
        var sent = _upstream.Requests.Single().Json;
        Assert.Equal(-100, sent.GetProperty("logit_bias").GetProperty("50256").GetInt32());
        Assert.Equal(2, sent.GetProperty("vendor_flag").GetProperty("deep")[1].GetInt32());
        Assert.Equal(7, sent.GetProperty("seed").GetInt32());
        Assert.Equal("END", sent.GetProperty("stop").GetString());
    }

    [Fact]
    public async Task ChatCompletions_UnchangedRequest_IsRelayedAsTheClientsBytes()
    {
        var body = GatewayHost.Chat("chat", extra: ""","vendor_flag":{ "deep" : [1, 2] }""");

        var (status, json, _) = await _host.ChatAsync(body);

        Assert.True(status == 200, json.ToString());
        var sent = _upstream.Requests.Single().Body;
        Assert.Contains("""{ "deep" : [1, 2] }""", sent);
        Assert.Contains("\"model\":\"upstream-small\"", sent);
        Assert.DoesNotContain("\"stream\"", sent);
    }

    [Fact]
    public async Task ChatCompletions_ProviderRenamesAndDrops_ApplyToTheRelayedRequest()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync($"""
            providers:
              fake: {"{"} type: openai-compatible, base_url: "{upstream.BaseUrl}", renames: {"{"} max_completion_tokens: max_tokens {"}"}, drops: [logprobs] {"}"}
            deployments:
              small: {"{"} provider: fake, model: upstream-small {"}"}
            routes:
              chat: small
            """);

        var (status, json, _) = await host.ChatAsync(GatewayHost.Chat("chat", extra: ""","max_completion_tokens":7,"logprobs":false,"seed":3"""));

        Assert.True(status == 200, json.ToString());
        var sent = upstream.Requests.Single().Json;
        Assert.Equal(7, sent.GetProperty("max_tokens").GetInt32());
        Assert.False(sent.TryGetProperty("max_completion_tokens", out _));
        Assert.False(sent.TryGetProperty("logprobs", out _));
        Assert.Equal(3, sent.GetProperty("seed").GetInt32());
        Assert.Equal("Say hello.", sent.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task ChatCompletions_Streaming_FramesEventsExactlyAsOpenAi()
    {
        _upstream.Enqueue(Behaviours.Ok("one two three"));

        var (status, events, response) = await _host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("one two three", GatewayHost.Content(events));
        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", finish.GetProperty("finish_reason").GetString());
        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(3, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(10, usage.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        // Every chunk but the usage one carries an explicit finish_reason key, null until the end.
        Assert.All(chunks.SkipLast(2), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task ChatCompletions_StreamingWithoutIncludeUsage_SendsNoUsageChunk()
    {
        var (status, events, _) = await _host.StreamAsync("""{"model":"chat","messages":[{"role":"user","content":"hi"}],"stream":true}""");

        Assert.Equal(200, status);
        Assert.DoesNotContain(events.SkipLast(1), e => JsonDocument.Parse(e).RootElement.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task ChatCompletions_Request_IsRecordedInLedgerWithCost()
    {
        _upstream.Enqueue(Behaviours.Ok("a b c d", promptTokens: 1000));

        await _host.ChatAsync(GatewayHost.Chat("chat"));

        var row = Assert.Single(await _host.LedgerAsync());
        Assert.Equal("ok", row.Status);
        Assert.Equal("chat", row.Route);
        Assert.Equal("small", row.Deployment);
        Assert.Equal(1000, row.PromptTokens);
        Assert.Equal(4, row.CompletionTokens);
        Assert.Equal((1000 * 1 + 4 * 2) / 1_000_000.0, row.CostUsd, 12);
    }
}
