using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

public sealed class ContinuationOnAnthropicTests
{
    [Fact]
    public async Task BrokenOpenAiStream_ContinuesOnAnthropicWithAnAssistantPrefill()
    {
        await using var openai = await FakeUpstream.StartAsync();
        await using var anthropic = await FakeUpstream.StartAsync();
        openai.Always(Behaviours.Stream(["The ", "quick ", "brown ", "fox "], new StreamScript { CutAfter = 2 }));
        anthropic.Always(Behaviours.Anthropic("brown fox"));
        await using var host = await GatewayHost.StartAsync($$"""
            providers:
              oai: { type: openai-compatible, base_url: "{{openai.BaseUrl}}" }
              claude: { type: anthropic, base_url: "{{anthropic.BaseUrl}}" }
            deployments:
              gpt: { provider: oai, model: gpt-test }
              sonnet: { provider: claude, model: claude-test }
            routes:
              chat: { fallback: [gpt, sonnet] }
            resilience: { max_retries: 0 }
            """);

        var (status, events, _) = await host.StreamAsync(GatewayHost.Chat("chat", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("The quick brown fox", GatewayHost.Content(events));
        var last = anthropic.Requests.Single().LastMessage;
        Assert.Equal("assistant", last.GetProperty("role").GetString());
        // Anthropic refuses trailing whitespace in a prefill, so the partial answer is trimmed.
        Assert.Equal("The quick", last.GetProperty("content")[0].GetProperty("text").GetString());
    }
}
