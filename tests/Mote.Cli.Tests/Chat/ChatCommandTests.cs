using System.Text.Json;
using Mote.Cli.Chat;
using Mote.Cli.Commands;
using Mote.Testing;

namespace Mote.Cli.Tests.Chat;

/// <summary><c>mote chat</c> driven in-process: typed lines in, streamed text out, against a fake OpenAI server.</summary>
public sealed class ChatCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private FakeOpenAiServer _server = null!;
    private readonly ScriptedInput _input = new();
    private readonly RecordingWriter _output = new();
    private readonly RecordingWriter _error = new();
    private readonly ReplyInterrupt _interrupt = new();

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<int> RunAsync(ChatOptions options) =>
        ChatCommand.RunAsync(options, _input, _output, _error, ChatStyle.Plain, _interrupt, CancellationToken.None).WaitAsync(s_timeout);

    [Fact]
    public async Task Chat_Url_StreamsRepliesKeepsHistoryResetsAndExits()
    {
        _input.Type("Hello there", "/system Be brief.", "Second question", "/reset", "Third", "/exit");

        var exit = await RunAsync(new ChatOptions { Url = _server.Url, Model = "echo", MaxTokens = 64 });

        Assert.True(exit == 0, _error.Text);
        var text = _output.Text;
        Assert.Contains("> You said: Hello there\n[4 tokens", text, StringComparison.Ordinal);
        Assert.Contains("(history cleared)", text, StringComparison.Ordinal);
        Assert.Contains("You said: Third", text, StringComparison.Ordinal);
        // Streamed: the reply reached the terminal piece by piece, as the server sent it.
        Assert.Contains(" there", _output.Writes);
        Assert.DoesNotContain("You said: Hello there", _output.Writes);

        var requests = _server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal([("user", "Hello there")], Messages(requests[0]));
        Assert.Equal(
            [("system", "Be brief."), ("user", "Hello there"), ("assistant", "You said: Hello there"), ("user", "Second question")],
            Messages(requests[1]));
        Assert.Equal([("system", "Be brief."), ("user", "Third")], Messages(requests[2]));
        Assert.True(requests[0].GetProperty("stream").GetBoolean());
        Assert.Equal(64, requests[0].GetProperty("max_tokens").GetInt32());
        Assert.Equal("", _error.Text);
    }

    [Fact]
    public async Task Chat_Interrupt_StopsReplyWithoutQuitting()
    {
        var run = RunAsync(new ChatOptions { Url = _server.Url, Model = "slow" });
        _input.Type("Count for ever");
        await _output.WaitForAsync("tick tick tick");

        Assert.True(_interrupt.TryInterrupt());
        await _output.WaitForAsync("stopped]");
        await _server.SlowAborted.Task.WaitAsync(s_timeout);
        Assert.False(_interrupt.TryInterrupt());

        _input.Type("/exit");
        Assert.Equal(0, await run);
        Assert.Equal("", _error.Text);
    }

    [Fact]
    public async Task Chat_ServerError_ShowsItsMessageAndGoesOn()
    {
        _input.Type("Hello", "/system", "/exit");

        var exit = await RunAsync(new ChatOptions { Url = _server.Url, Model = "broken", System = "Be kind." });

        Assert.Equal(0, exit);
        Assert.Contains($"error: {FakeOpenAiServer.ErrorMessage} (400 Bad Request)", _error.Text, StringComparison.Ordinal);
        Assert.Contains("(system prompt: Be kind.)", _output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_EndOfInput_Exits()
    {
        _input.Type("Hi");
        _input.End();

        Assert.Equal(0, await RunAsync(new ChatOptions { Url = _server.Url }));
        // No --model: the server's first model answers.
        Assert.Equal("echo", _server.Requests.Single().GetProperty("model").GetString());
    }

    [Fact]
    public async Task Chat_UnknownModelOnServer_NamesTheModelsItHas()
    {
        var exit = await RunAsync(new ChatOptions { Url = _server.Url, Model = "gpt-5" });

        Assert.Equal(1, exit);
        Assert.Equal("error: The server has no model 'gpt-5'; it offers: echo, slow, broken.\n", _error.Text);
    }

    [Fact]
    public async Task Chat_NothingToChatWith_SaysWhatToPass()
    {
        var exit = await RunAsync(new ChatOptions());

        Assert.Equal(1, exit);
        Assert.Contains("--model FILE|ALIAS", _error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_MissingModelFile_FailsWithOneLine()
    {
        var exit = await RunAsync(new ChatOptions { Model = "/nonexistent/model.gguf" });

        Assert.Equal(1, exit);
        Assert.Equal("error: Model file not found: /nonexistent/model.gguf\n", _error.Text);
    }

    [FixtureFact]
    public async Task Chat_LocalModelFile_StreamsReplyFromEngineInProcess()
    {
        _input.Type("Once upon a time", "/reset", "/exit");

        var exit = await ChatCommand.RunAsync(new ChatOptions { Model = Fixtures.Path("stories260K", "stories260K-f32.gguf"), MaxTokens = 12 },
            _input, _output, _error, ChatStyle.Plain, _interrupt, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exit == 0, _error.Text);
        Assert.Contains("mote chat · stories260K-f32 ·", _output.Text, StringComparison.Ordinal);
        Assert.Matches(@"\n\[(12 tokens|\d tokens?)", _output.Text);
        Assert.Contains("(history cleared)", _output.Text, StringComparison.Ordinal);
    }

    private static List<(string?, string?)> Messages(JsonElement request) =>
        request.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString()))
            .ToList();
}
