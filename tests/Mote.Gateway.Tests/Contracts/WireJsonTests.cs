using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Tests.Contracts;

public sealed class WireJsonTests
{
    private static ChatCompletionRequest Read(string json) =>
        JsonSerializer.Deserialize(json, MoteJsonContext.Default.ChatCompletionRequest)!;

    private static string Write(ChatCompletionRequest request) =>
        JsonSerializer.Serialize(request, MoteJsonContext.Default.ChatCompletionRequest);

    [Fact]
    public void Request_StringAndPartContent_RoundTripInTheirOwnShape()
    {
        var request = Read("""
            {"model":"m","messages":[
              {"role":"user","content":"plain"},
              {"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}},{"type":"text","text":"b"}]}]}
            """);

        Assert.Equal("plain", request.Messages![0].Content!.Text);
        Assert.Equal("ab", request.Messages[1].Content!.GetText());
        Assert.False(request.Messages[1].Content!.IsTextOnly);
        var json = JsonDocument.Parse(Write(request)).RootElement.GetProperty("messages");
        Assert.Equal(JsonValueKind.String, json[0].GetProperty("content").ValueKind);
        Assert.Equal("low", json[1].GetProperty("content")[1].GetProperty("image_url").GetProperty("detail").GetString());
    }

    [Fact]
    public void Request_UnknownFields_ArePreservedAtEveryLevel()
    {
        var request = Read("""
            {"model":"m","messages":[{"role":"user","content":"x","cache_control":{"type":"ephemeral"}}],
             "logit_bias":{"1":5},"reasoning_effort":"low","response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"},"extra":1}}}
            """);

        var json = JsonDocument.Parse(Write(request)).RootElement;

        Assert.Equal(5, json.GetProperty("logit_bias").GetProperty("1").GetInt32());
        Assert.Equal("low", json.GetProperty("reasoning_effort").GetString());
        Assert.Equal("ephemeral", json.GetProperty("messages")[0].GetProperty("cache_control").GetProperty("type").GetString());
        Assert.Equal(1, json.GetProperty("response_format").GetProperty("json_schema").GetProperty("extra").GetInt32());
        Assert.Equal("object", json.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("\"END\"", JsonValueKind.String, 1)]
    [InlineData("[\"a\",\"b\"]", JsonValueKind.Array, 2)]
    public void Request_Stop_StringOrList_KeepsItsShape(string stop, JsonValueKind kind, int count)
    {
        var request = Read($$"""{"model":"m","messages":[],"stop":{{stop}}}""");

        Assert.Equal(count, request.Stop!.Values.Count);
        Assert.Equal(kind, JsonDocument.Parse(Write(request)).RootElement.GetProperty("stop").ValueKind);
    }

    [Fact]
    public void Request_SnakeCaseFields_AreRead()
    {
        var request = Read("""
            {"model":"m","messages":[],"max_completion_tokens":7,"max_tokens":9,"top_p":0.5,"presence_penalty":1,
             "frequency_penalty":-1,"top_logprobs":3,"logprobs":true,"stream":true,"stream_options":{"include_usage":true},
             "parallel_tool_calls":false,"tool_choice":{"type":"function","function":{"name":"f"}}}
            """);

        Assert.Equal(7, request.EffectiveMaxTokens);
        Assert.Equal(0.5, request.TopP);
        Assert.Equal(3, request.TopLogprobs);
        Assert.True(request.StreamOptions!.IncludeUsage);
        Assert.False(request.ParallelToolCalls);
        Assert.Equal("f", request.ToolChoice!.Value.GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public void Chunk_WritesFinishReasonAndLogprobsAsExplicitNulls()
    {
        var chunk = new ChatCompletionChunk
        {
            Id = "c", Created = 1, Model = "m",
            Choices = [new ChunkChoice { Delta = new ChatDelta { Content = "hi" } }],
        };

        var json = JsonSerializer.Serialize(chunk, MoteJsonContext.Default.ChatCompletionChunk);

        Assert.Equal("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"logprobs":null,"finish_reason":null}]}""", json);
    }

    [Fact]
    public void Chunk_WithoutChoicesKey_ReadsAsEmptyChoices()
    {
        var chunk = JsonSerializer.Deserialize("""{"id":"x","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""",
            MoteJsonContext.Default.ChatCompletionChunk)!;

        Assert.Empty(chunk.Choices);
        Assert.Equal(2, chunk.Usage!.CompletionTokens);
    }

    [Fact]
    public void Error_HasTheOpenAiShape()
    {
        var json = JsonSerializer.Serialize(ErrorResponse.Create("bad", ErrorTypes.InvalidRequest), MoteJsonContext.Default.ErrorResponse);

        Assert.Equal("""{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null}}""", json);
    }

    [Theory]
    [InlineData("\"once\"", 1, true)]
    [InlineData("[\"a\",\"b\"]", 2, false)]
    [InlineData("[1,2,3]", 1, true)]
    [InlineData("[[1],[2,3]]", 2, false)]
    public void CompletionPrompt_AllFourShapes_RoundTrip(string prompt, int count, bool single)
    {
        var request = JsonSerializer.Deserialize($$"""{"model":"m","prompt":{{prompt}}}""", MoteJsonContext.Default.CompletionRequest)!;

        Assert.Equal(count, request.Prompt!.Texts?.Count ?? request.Prompt.TokenLists!.Count);
        Assert.Equal(single, request.Prompt.WasSingle);
        var written = JsonDocument.Parse(JsonSerializer.Serialize(request, MoteJsonContext.Default.CompletionRequest)).RootElement.GetProperty("prompt");
        Assert.Equal(prompt, written.GetRawText());
    }

    [Fact]
    public void CompletionPrompt_MixedArray_IsRejected()
    {
        Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize("""{"model":"m","prompt":["a",1]}""", MoteJsonContext.Default.CompletionRequest));
    }
}
