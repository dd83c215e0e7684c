using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>An Anthropic Messages provider behind the OpenAI endpoint, translated both ways.</summary>
public sealed class AnthropicTests : IAsyncLifetime
{
    private FakeUpstream _anthropic = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        _anthropic = await FakeUpstream.StartAsync();
        _host = await GatewayHost.StartAsync($$"""
            providers:
              claude: { type: anthropic, base_url: "{{_anthropic.BaseUrl}}" }
            deployments:
              sonnet: { provider: claude, model: claude-sonnet-test, input_price: 3, output_price: 15 }
            routes:
              smart: sonnet
            resilience: { max_retries: 0 }
            """);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task NonStreaming_TranslatesSystemPromptRequestAndResponse()
    {
        _anthropic.Always(Behaviours.Anthropic("Bonjour tout le monde", stopReason: "max_tokens"));

        var (status, body, _) = await _host.ChatAsync("""
            {"model":"smart","max_tokens":64,"stop":["END"],"messages":[
              {"role":"system","content":"Answer in French."},
              {"role":"user","content":[{"type":"text","text":"Say hello."}]}]}
            """);

        Assert.Equal(200, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("Bonjour tout le monde", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(12, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("claude-sonnet-test", body.GetProperty("model").GetString());

        var sent = _anthropic.Requests.Single();
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"].ToString());
        var json = sent.Json;
        Assert.Equal("claude-sonnet-test", json.GetProperty("model").GetString());
        Assert.Equal("Answer in French.", json.GetProperty("system").GetString());
        Assert.Equal(64, json.GetProperty("max_tokens").GetInt32());
        Assert.Equal("END", json.GetProperty("stop_sequences")[0].GetString());
        var messages = json.GetProperty("messages");
        Assert.Equal(1, messages.GetArrayLength());
        Assert.Equal("user", messages[0].GetProperty("role").GetString());
        Assert.Equal("Say hello.", messages[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task ToolUse_BecomesAnOpenAiToolCall_AndToolResultsGoBackAsToolResultBlocks()
    {
        _anthropic.Enqueue(Behaviours.AnthropicToolUse("get_weather", """{"city":"Oslo"}"""));
        _anthropic.Always(Behaviours.Anthropic("It is sunny."));

        var (_, first, _) = await _host.ChatAsync("""
            {"model":"smart","messages":[{"role":"user","content":"Weather in Oslo?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "tool_choice":"required"}
            """);
        var call = first.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        var (status, _, _) = await _host.ChatAsync("""
            {"model":"smart","messages":[
              {"role":"user","content":"Weather in Oslo?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"toolu_1","content":"sunny, 21C"}]}
            """);

        Assert.Equal("tool_calls", first.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("toolu_1", call.GetProperty("id").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Oslo", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        var firstSent = _anthropic.Requests[0].Json;
        Assert.Equal("any", firstSent.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.Equal("object", firstSent.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("type").GetString());

        Assert.Equal(200, status);
        var messages = _anthropic.Requests[1].Json.GetProperty("messages");
        Assert.Equal("tool_use", messages[1].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("Oslo", messages[1].GetProperty("content")[0].GetProperty("input").GetProperty("city").GetString());
        Assert.Equal("user", messages[2].GetProperty("role").GetString());
        Assert.Equal("tool_result", messages[2].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("toolu_1", messages[2].GetProperty("content")[0].GetProperty("tool_use_id").GetString());
    }

    [Fact]
    public async Task Streaming_TranslatesEventsToOpenAiChunks()
    {
        _anthropic.Always(Behaviours.Anthropic("streamed from claude"));

        var (status, events, _) = await _host.StreamAsync(GatewayHost.Chat("smart", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("streamed from claude", GatewayHost.Content(events));
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(12, chunks[^1].GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task AnthropicOverloaded529_IsClassifiedAsAServerError()
    {
        _anthropic.Always((context, _) =>
        {
            context.Response.StatusCode = 529;
            return context.Response.WriteAsync("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");
        });

        var (status, body, _) = await _host.ChatAsync(GatewayHost.Chat("smart"));

        Assert.Equal(502, status);
        Assert.Contains("sonnet (server_error", body.GetProperty("error").GetProperty("message").GetString());
    }
}
