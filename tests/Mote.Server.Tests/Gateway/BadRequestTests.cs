using System.Net.Http.Headers;
using System.Text.Json;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

public sealed class BadRequestTests : IAsyncLifetime
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
              small: {"{"} provider: fake, model: m {"}"}
            routes:
              chat: small
            """);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    public static TheoryData<string, string?> BadBodies => new()
    {
        { "{not json", null },
        { "", null },
        { "null", null },
        { "[]", null },
        { """{"messages":[{"role":"user","content":"hi"}]}""", "model" },
        { """{"model":"chat"}""", "messages" },
        { """{"model":"chat","messages":[]}""", "messages" },
        { """{"model":"chat","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role" },
        { """{"model":"chat","messages":[{"role":"user"}]}""", "messages[0].content" },
        { """{"model":"chat","messages":[{"role":"user","content":42}]}""", "messages[0].content" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"temperature":3}""", "temperature" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"n":0}""", "n" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"stop":[1,2]}""", "stop" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"top_logprobs":5}""", "top_logprobs" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"xml"}}""", "response_format.type" },
        { """{"model":"chat","messages":[null]}""", "messages[0]" },
        { """{"model":"chat","messages":[{"role":"user","content":[null]}]}""", "messages[0].content" },
        { """{"model":"chat","messages":[{"role":"user","content":"hi"}],"tools":[null]}""", "tools[0]" },
        { """{"model":"chat","messages":[{"role":"assistant","tool_calls":[null]}]}""", "messages[0].tool_calls[0]" },
        { """{"model":"chat","messages":[{"role":"tool","content":"42"}]}""", "messages[0].tool_call_id" },
        { """{"model":["chat"],"messages":[{"role":"user","content":"hi"}]}""", "model" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ChatCompletions_BadBody_Returns400WithOpenAiError(string body, string? param)
    {
        var (status, json, _) = await _host.ChatAsync(body);

        Assert.Equal(400, status);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        if (param is not null)
            Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(0, _upstream.Count);
    }

    [Fact]
    public async Task ChatCompletions_InvalidUtf8_Returns400()
    {
        var bytes = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"caf"u8.ToArray()
            .Concat(new byte[] { 0xC3, 0x28 }).Concat("\"}]}"u8.ToArray()).ToArray();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _host.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains("UTF-8", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChatCompletions_UnknownModel_Returns404Error()
    {
        var (status, json, _) = await _host.ChatAsync(GatewayHost.Chat("no-such-model"));

        Assert.Equal(404, status);
        Assert.Equal("model_not_found", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("model", json.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task UnknownPath_Returns404Json()
    {
        var response = await _host.Client.GetAsync("/v1/nothing-here");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Models_ListsRoutes()
    {
        var json = JsonDocument.Parse(await _host.Client.GetStringAsync("/v1/models")).RootElement;

        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.Equal("chat", json.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Health_ReturnsOk()
    {
        var response = await _host.Client.GetAsync("/health");

        Assert.Equal(200, (int)response.StatusCode);
    }
}
