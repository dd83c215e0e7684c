using System.ClientModel;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatResponseFormat = OpenAI.Chat.ChatResponseFormat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;
using ChatFinishReason = OpenAI.Chat.ChatFinishReason;

namespace Mote.Server.Tests.LocalModels;

/// <summary>Whatever the official OpenAI .NET client and Microsoft.Extensions.AI send must work against a local model unchanged.</summary>
public sealed class OfficialClientsTests(TinyChatServerFixture fixture) : IClassFixture<TinyChatServerFixture>
{
    private LocalServer Server => fixture.Server;

    private ChatClient OpenAiClient() => new(Server.Model, new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri(Server.BaseUrl + "/v1") });

    [Fact]
    public async Task OpenAIClient_NonStreaming_GetsTextFinishReasonAndUsage()
    {
        ChatCompletion completion = await OpenAiClient().CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello.")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 });

        Assert.NotNull(completion.Content[0].Text);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.InRange(completion.Usage.OutputTokenCount, 0, 12);
    }

    [Fact]
    public async Task OpenAIClient_Streaming_ReceivesTheSameTextAsNonStreaming()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 16 };
        ChatCompletion whole = await OpenAiClient().CompleteChatAsync([new UserChatMessage("Stream please.")], options);

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in OpenAiClient().CompleteChatStreamingAsync([new UserChatMessage("Stream please.")], options))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal(whole.Content.Count == 0 ? "" : whole.Content[0].Text, text.ToString());
        Assert.Equal(whole.FinishReason, finish);
    }

    [Fact]
    public async Task OpenAIClient_JsonObjectFormat_ParsesAsJson()
    {
        ChatCompletion completion = await OpenAiClient().CompleteChatAsync([new UserChatMessage("JSON please.")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 40, ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        using var json = System.Text.Json.JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, json.RootElement.ValueKind);
    }

    [Fact]
    public async Task ExtensionsAIChatClient_GetResponseAndStreaming_Work()
    {
        IChatClient client = OpenAiClient().AsIChatClient();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 12 };

        var response = await client.GetResponseAsync([new AiChatMessage(AiChatRole.User, "Hello from MEAI")], options);
        var streamed = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync([new AiChatMessage(AiChatRole.User, "Hello from MEAI")], options))
            streamed.Append(update.Text);

        Assert.Equal(response.Text, streamed.ToString());
        Assert.True(response.Usage?.InputTokenCount > 0);
    }
}
