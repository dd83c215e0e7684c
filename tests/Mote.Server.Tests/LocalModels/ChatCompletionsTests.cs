using System.Text;
using System.Text.Json;
using Mote.Engine;
using Mote.Engine.ChatTemplates;
using Mote.Engine.Generation;
using Mote.Engine.Runtime;
using Mote.Engine.Sampling;
using Mote.Server.Tests.LocalModels.Json;

namespace Mote.Server.Tests.LocalModels;

/// <summary><c>/v1/chat/completions</c> on a local model: OpenAI semantics end to end through the gateway.</summary>
public sealed class ChatCompletionsTests(TinyChatServerFixture fixture) : IClassFixture<TinyChatServerFixture>
{
    private LocalServer Server => fixture.Server;

    [Fact]
    public async Task Chat_Greedy_MatchesTheEngineRunDirectly()
    {
        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("Hello there", ""","temperature":0,"max_tokens":24"""));

        Assert.Equal(200, status);
        var (expected, promptTokens, finish) = DirectGreedy("Hello there", 24);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(expected, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(finish, choice.GetProperty("finish_reason").GetString());
        Assert.Equal(promptTokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Chat_Streaming_IsFramedLikeOpenAIAndCarriesTheSameText()
    {
        var extra = ""","temperature":0,"max_tokens":20,"stream_options":{"include_usage":true}""";
        var (_, whole) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("Stream this", ""","temperature":0,"max_tokens":20"""));

        var (status, events) = await Server.StreamAsync("/v1/chat/completions", Server.Chat("Stream this", extra, stream: true));

        Assert.Equal(200, status);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        var first = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        var finishes = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0
            && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String).ToList();
        Assert.Single(finishes);
        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(whole.GetProperty("usage").GetProperty("completion_tokens").GetInt32(),
            usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var text = new StringBuilder();
        foreach (var chunk in chunks)
            foreach (var choice in chunk.GetProperty("choices").EnumerateArray())
                if (choice.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                    text.Append(content.GetString());
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), text.ToString());
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(1.0, 2)]
    [InlineData(1.5, 3)]
    public async Task Chat_JsonObject_RandomWeightModelStillAnswersParseableJson(double temperature, int seed)
    {
        var extra = $$""","temperature":{{temperature}},"seed":{{seed}},"max_tokens":40,"response_format":{"type":"json_object"}""";

        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("Give me JSON", extra));

        Assert.Equal(200, status);
        var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var json = JsonDocument.Parse(content);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public async Task Chat_JsonSchema_OutputValidatesAgainstTheSchema(double temperature)
    {
        const string schema = """
            {"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"},
             "coastal":{"type":"boolean"},"tags":{"type":"array","items":{"enum":["old","new","big"]},"minItems":1,"maxItems":3}},
             "required":["city","population","coastal","tags"],"additionalProperties":false}
            """;
        var extra = $$$""","temperature":{{{temperature}}},"seed":7,"max_tokens":90,"response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,"schema":{{{schema}}}}}""";

        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("Describe a city", extra));

        Assert.Equal(200, status);
        var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var json = JsonDocument.Parse(content);
        Assert.Empty(MiniSchemaValidator.Validate(json.RootElement, JsonDocument.Parse(schema).RootElement));
    }

    [Fact]
    public async Task Chat_UnsupportedSchema_Returns400()
    {
        var extra = ""","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","properties":{"a":{"$ref":"#/nope"}}}}}""";

        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("x", extra));

        Assert.Equal(400, status);
        Assert.Contains("schema", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Chat_Logprobs_OneEntryPerTokenWithSortedAlternatives()
    {
        var extra = ""","temperature":0,"max_tokens":6,"logprobs":true,"top_logprobs":3,"ignore_eos":true""";

        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("Log me", extra));

        Assert.Equal(200, status);
        var entries = body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.Equal(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), entries.GetArrayLength());
        var text = new StringBuilder();
        foreach (var entry in entries.EnumerateArray())
        {
            var logprob = entry.GetProperty("logprob").GetDouble();
            Assert.True(logprob <= 0);
            var top = entry.GetProperty("top_logprobs").EnumerateArray().Select(t => t.GetProperty("logprob").GetDouble()).ToList();
            Assert.Equal(3, top.Count);
            Assert.Equal(top.OrderDescending(), top);
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(top[0], logprob, 5);
            text.Append(Encoding.UTF8.GetString(entry.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray()));
        }
        Assert.Equal(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), text.ToString());
    }

    [Fact]
    public async Task Chat_NThree_ReturnsThreeChoicesAndCountsAllTheirTokens()
    {
        var extra = ""","temperature":1,"seed":11,"max_tokens":8,"n":3,"ignore_eos":true""";

        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("Three ways", extra));

        Assert.Equal(200, status);
        var choices = body.GetProperty("choices");
        Assert.Equal([0, 1, 2], choices.EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices.EnumerateArray(), c => Assert.Equal("length", c.GetProperty("finish_reason").GetString()));
        Assert.Equal(24, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(choices.EnumerateArray().Select(c => c.GetProperty("message").GetProperty("content").GetString()).Distinct().Count() > 1,
            "three seeded choices came out identical");
    }

    [Fact]
    public async Task Chat_StopString_EndsBeforeIt()
    {
        var extra = ""","temperature":0,"max_tokens":30,"ignore_eos":true""";
        var (_, free) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("Stop somewhere", extra));
        var full = free.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var stop = full.Substring(full.Length / 2, 2);

        var (status, body) = await Server.JsonAsync("/v1/chat/completions",
            Server.Chat("Stop somewhere", extra + $$""","stop":[{{JsonSerializer.Serialize(stop)}}]"""));

        Assert.Equal(200, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Chat_SecondTurn_ReusesTheCachedFirstTurn()
    {
        var first = """[{"role":"system","content":"You are terse."},{"role":"user","content":"Tell me a story about a cat."}]""";
        var (_, one) = await Server.JsonAsync("/v1/chat/completions",
            $$"""{"model":"{{Server.Model}}","messages":{{first}},"temperature":0,"max_tokens":12}""");
        var reply = one.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        var second = first[..^1] + $$""",{"role":"assistant","content":{{JsonSerializer.Serialize(reply)}}},{"role":"user","content":"And then?"}]""";
        var evaluatedBefore = Server.Stats.PromptTokensEvaluated;
        var reusedBefore = Server.Stats.PromptTokensReused;

        var (status, two) = await Server.JsonAsync("/v1/chat/completions",
            $$"""{"model":"{{Server.Model}}","messages":{{second}},"temperature":0,"max_tokens":4}""");

        Assert.Equal(200, status);
        var promptTokens = two.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        var evaluated = Server.Stats.PromptTokensEvaluated - evaluatedBefore;
        var reused = Server.Stats.PromptTokensReused - reusedBefore;
        Assert.Equal(promptTokens, evaluated + reused);
        // The first turn's prompt is cached whole (a token at its end may re-tokenize differently next to the reply).
        Assert.True(reused >= one.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() - 2,
            $"only {reused} of {promptTokens} prompt tokens came from the cache");
    }

    [Fact]
    public async Task Chat_TwoConversationsInterleaved_EachKeepsItsOwnCache()
    {
        // Both share the template header; B's first turn must not take over A's slot while others are free.
        var a = """[{"role":"user","content":"Conversation A is about the sea and ships and storms."}]""";
        var b = """[{"role":"user","content":"Conversation B is about mountains."}]""";
        var (_, a1) = await Server.JsonAsync("/v1/chat/completions", $$"""{"model":"{{Server.Model}}","messages":{{a}},"temperature":0,"max_tokens":6}""");
        await Server.JsonAsync("/v1/chat/completions", $$"""{"model":"{{Server.Model}}","messages":{{b}},"temperature":0,"max_tokens":6}""");
        var reply = a1.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        var a2 = a[..^1] + $$""",{"role":"assistant","content":{{JsonSerializer.Serialize(reply)}}},{"role":"user","content":"More."}]""";
        var reusedBefore = Server.Stats.PromptTokensReused;

        await Server.JsonAsync("/v1/chat/completions", $$"""{"model":"{{Server.Model}}","messages":{{a2}},"temperature":0,"max_tokens":2}""");

        Assert.True(Server.Stats.PromptTokensReused - reusedBefore >= a1.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() - 2);
    }

    [Fact]
    public async Task Chat_PromptLongerThanTheContext_Returns400WithoutTruncating()
    {
        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat(string.Concat(Enumerable.Repeat("many words here ", 200))));

        Assert.Equal(400, status);
        Assert.Equal("context_length_exceeded", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task Chat_AbsurdMaxTokens_Returns400NamingTheField(string field)
    {
        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("hi", $$""","{{field}}":100000000"""));

        Assert.Equal(400, status);
        Assert.Equal(field, body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Chat_MoreChoicesThanSlots_Returns400()
    {
        var (status, body) = await Server.JsonAsync("/v1/chat/completions", Server.Chat("hi", ""","n":9"""));

        Assert.Equal(400, status);
        Assert.Contains("--parallel", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Metrics_AfterARequest_ExportLocalModelSeries()
    {
        await Server.JsonAsync("/v1/chat/completions", Server.Chat("count me", ""","max_tokens":3"""));

        var text = await Server.Client.GetStringAsync("/metrics");

        foreach (var series in new[] { "mote_local_ttft_seconds_bucket", "mote_local_token_latency_seconds_count", "mote_local_prompt_tokens_total",
                     "mote_local_generated_tokens_total", "mote_local_queue_depth", "mote_local_kv_cache_used_tokens", "mote_local_steps_total" })
            Assert.Contains(series, text);
    }

    /// <summary>The same conversation through the engine alone: template, tokenizer, session, greedy generator.</summary>
    private static (string Text, int PromptTokens, string Finish) DirectGreedy(string user, int maxTokens)
    {
        using var model = Model.Load(TestModels.TinyChat);
        var vocabulary = model.Tokenizer.Vocabulary;
        var rendered = ChatTemplate.Parse(vocabulary.ChatTemplate!).Render([new ChatMessage("user", user)], true,
            vocabulary.Tokens[vocabulary.BosId], vocabulary.Tokens[vocabulary.EosId]);
        var prompt = model.Tokenizer.Encode(rendered, addSpecial: false, parseSpecial: true);
        if (vocabulary.AddBos == true && prompt[0] != vocabulary.BosId)
            prompt = [vocabulary.BosId, .. prompt];
        var generator = new TextGenerator(new InferenceSession(model, new SessionOptions { ContextLength = 256 }));
        var text = string.Concat(generator.Generate(prompt, new GenerationOptions { MaxTokens = maxTokens, Sampling = SamplingOptions.Greedy })
            .Select(t => t.Text));
        return (text, prompt.Length, generator.FinishReason == FinishReason.Length ? "length" : "stop");
    }
}
