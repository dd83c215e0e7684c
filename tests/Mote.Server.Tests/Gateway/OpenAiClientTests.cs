using System.ClientModel;
using System.Text;
using Mote.Server.Tests.Fakes;
using OpenAI;
using OpenAI.Chat;

namespace Mote.Server.Tests.Gateway;

/// <summary>The official OpenAI .NET client, pointed at the gateway, must work unchanged.</summary>
public sealed class OpenAiClientTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _upstream.Always(Behaviours.Ok("Hello from behind the gateway", model: "ignored", promptTokens: 9));
        _host = await GatewayHost.StartAsync(TestConfig.Build("chat: small", TestConfig.FastResilience, "", new Target("small", _upstream)));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private ChatClient Client() => new("chat", new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri(_host.BaseUrl + "/v1") });

    [Fact]
    public async Task OfficialClient_NonStreaming_GetsTheAnswerAndUsage()
    {
        ChatCompletion completion = await Client().CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello.")],
            new ChatCompletionOptions { Temperature = 0.2f, MaxOutputTokenCount = 50 });

        Assert.Equal("Hello from behind the gateway", completion.Content[0].Text);
        Assert.Equal("model-small", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(9, completion.Usage.InputTokenCount);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task OfficialClient_Streaming_ReceivesEveryDeltaAndTheFinishReason()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Say hello.")]))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from behind the gateway", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
    }
}
