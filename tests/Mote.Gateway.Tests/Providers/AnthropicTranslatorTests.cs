using System.Text.Json;
using Mote.Contracts;
using Mote.Gateway.Providers.Anthropic;

namespace Mote.Gateway.Tests.Providers;

public sealed class AnthropicTranslatorTests
{
    private static ChatCompletionRequest Request(string json) =>
        JsonSerializer.Deserialize(json, MoteJsonContext.Default.ChatCompletionRequest)!;

    [Fact]
    public void ToAnthropic_MovesSystemAndDeveloperToTheSystemPrompt_AndMergesTurns()
    {
        var request = Request("""
            {"model":"x","temperature":1.6,"user":"u1","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Hi"},
              {"role":"developer","content":"Use English."},
              {"role":"user","content":"Again"},
              {"role":"assistant","content":"Hello   "}]}
            """);

        var anthropic = AnthropicTranslator.ToAnthropic(request, "claude", 1024, stream: false);

        Assert.Equal("Be brief.\n\nUse English.", anthropic.System);
        Assert.Equal(1024, anthropic.MaxTokens);
        Assert.Equal(1.0, anthropic.Temperature);
        Assert.Equal("u1", anthropic.Metadata!.UserId);
        Assert.Equal(["user", "assistant"], anthropic.Messages.Select(m => m.Role));
        Assert.Equal(["Hi", "Again"], anthropic.Messages[0].Content.Select(b => b.Text));
        Assert.Equal("Hello", anthropic.Messages[1].Content[0].Text); // a prefill may not end in whitespace
    }

    [Fact]
    public void ToAnthropic_ToolCallsAndResults_BecomeBlocks()
    {
        var request = Request("""
            {"model":"x","max_completion_tokens":50,"tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}],
             "messages":[
              {"role":"user","content":"q"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"42"}]}
            """);

        var anthropic = AnthropicTranslator.ToAnthropic(request, "claude", 1024, stream: true);

        Assert.Equal(50, anthropic.MaxTokens);
        Assert.True(anthropic.Stream);
        Assert.Equal("tool", anthropic.ToolChoice!.Type);
        Assert.Equal("f", anthropic.ToolChoice.Name);
        Assert.True(anthropic.ToolChoice.DisableParallelToolUse);
        Assert.Equal("d", anthropic.Tools![0].Description);
        var use = anthropic.Messages[1].Content.Single();
        Assert.Equal("tool_use", use.Type);
        Assert.Equal(1, use.Input!.Value.GetProperty("x").GetInt32());
        var result = anthropic.Messages[2].Content.Single();
        Assert.Equal("user", anthropic.Messages[2].Role);
        Assert.Equal("tool_result", result.Type);
        Assert.Equal("c1", result.ToolUseId);
        Assert.Equal("42", result.Content!.Value.GetString());
    }

    [Fact]
    public void ToAnthropic_ImageUrlParts_BecomeImageSources()
    {
        var request = Request("""
            {"model":"x","messages":[{"role":"user","content":[{"type":"text","text":"what?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
              {"type":"image_url","image_url":{"url":"https://example.org/cat.jpg"}}]}]}
            """);

        var blocks = AnthropicTranslator.ToAnthropic(request, "claude", 1024, false).Messages[0].Content;

        Assert.Equal("base64", blocks[1].Source!.Value.GetProperty("type").GetString());
        Assert.Equal("image/png", blocks[1].Source!.Value.GetProperty("media_type").GetString());
        Assert.Equal("https://example.org/cat.jpg", blocks[2].Source!.Value.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    public void StopReasons_MapToFinishReasons_AndBack(string stop, string finish)
    {
        Assert.Equal(finish, AnthropicTranslator.FinishReason(stop));
        if (stop != "stop_sequence")
            Assert.Equal(stop, AnthropicTranslator.StopReason(finish));
    }

    [Fact]
    public void FromAnthropic_CountsCachedPromptTokens_AndBuildsToolCalls()
    {
        var response = JsonSerializer.Deserialize("""
            {"id":"m","model":"claude","content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"t","name":"f","input":{"a":[1]}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":5,"cache_creation_input_tokens":3,"cache_read_input_tokens":7}}
            """, AnthropicJsonContext.Default.AnthropicResponse)!;

        var openai = AnthropicTranslator.FromAnthropic(response, 99);

        Assert.Equal(20, openai.Usage!.PromptTokens);
        Assert.Equal(5, openai.Usage.CompletionTokens);
        Assert.Equal("tool_calls", openai.Choices[0].FinishReason);
        Assert.Equal("Let me look.", openai.Choices[0].Message.Content!.GetText());
        Assert.Equal("""{"a":[1]}""", openai.Choices[0].Message.ToolCalls![0].Function!.Arguments);
    }

    [Fact]
    public void StreamTranslator_ToolUseEvents_BecomeToolCallDeltas()
    {
        var translator = new AnthropicStreamTranslator(1);
        string[] events =
        [
            """{"type":"message_start","message":{"id":"m1","model":"claude","content":[],"usage":{"input_tokens":9,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking"}}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t1","name":"f","input":{}}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"1}"}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}""",
            """{"type":"message_stop"}""",
        ];

        var chunks = events
            .Select(e => translator.Translate(JsonSerializer.Deserialize(e, AnthropicJsonContext.Default.AnthropicStreamEvent)!, "test"))
            .Where(c => c is not null)
            .ToList();

        Assert.True(translator.Finished);
        Assert.Equal("assistant", chunks[0]!.Choices[0].Delta.Role);
        Assert.Equal("Checking", chunks[1]!.Choices[0].Delta.Content);
        var start = chunks[2]!.Choices[0].Delta.ToolCalls![0];
        Assert.Equal((0, "t1", "f"), (start.Index!.Value, start.Id!, start.Function!.Name!));
        Assert.Equal("{\"a\":1}", chunks[3]!.Choices[0].Delta.ToolCalls![0].Function!.Arguments + chunks[4]!.Choices[0].Delta.ToolCalls![0].Function!.Arguments);
        Assert.Equal("tool_calls", chunks[5]!.Choices[0].FinishReason);
        Assert.Equal((9, 12), (chunks[6]!.Usage!.PromptTokens, chunks[6]!.Usage!.CompletionTokens));
        Assert.All(chunks, c => Assert.Equal("m1", c!.Id));
    }

    [Fact]
    public void StreamTranslator_ErrorEvent_ThrowsAClassifiedFailure()
    {
        var translator = new AnthropicStreamTranslator(1);
        var e = JsonSerializer.Deserialize("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""",
            AnthropicJsonContext.Default.AnthropicStreamEvent)!;

        var failure = Assert.Throws<ProviderException>(() => translator.Translate(e, "claude"));

        Assert.Equal(FailureKind.ServerError, failure.Kind);
    }
}
