using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mote.Contracts;
using Mote.Gateway.Providers;

namespace Mote.Gateway.Tests.Providers;

/// <summary>The relayed client bytes must say what serializing the changed request says.</summary>
public sealed class RequestBodyTests
{
    private static readonly FrozenDictionary<string, string> s_noRenames = FrozenDictionary<string, string>.Empty;
    private static readonly FrozenSet<string> s_noDrops = FrozenSet<string>.Empty;

    public static TheoryData<string> Bodies() =>
    [
        """{"model":"bench","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say something."}],"max_tokens":16}""",
        """{"messages":[{"role":"user","content":[{"type":"text","text":"caf\u00e9 \"quoted\""}]}],"model":"route","stream":true,"stream_options":{"include_usage":false,"vendor_option":[1,{"a":2}]},"temperature":null,"vendor_flag":null,"vendor_deep":{"a":null},"logit_bias":{"50256":-100},"seed":7,"stop":["END"]}""",
        """{"mod\u0065l":"escaped","messages":[],"stream":false,"stream_options":null,"max_completion_tokens":5,"max_tokens":9,"logprobs":true,"top_logprobs":2,"tool_choice":{"type":"function","function":{"name":"f"}}}""",
        """{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":true},"n":2,"user":"u","max_completion_tokens":3,"vendor":{"deep":[true,false,1.5e3]}}""",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Relay_MatchesSerializingTheRequest_WithoutAProfile(string body)
    {
        AssertSameAsSerialized(body, streaming: false, s_noRenames, s_noDrops);
        AssertSameAsSerialized(body, streaming: true, s_noRenames, s_noDrops);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Relay_MatchesSerializingTheRequest_WithRenamesAndDrops(string body)
    {
        var renames = new Dictionary<string, string> { ["max_completion_tokens"] = "max_tokens", ["seed"] = "random_seed" }.ToFrozenDictionary();
        var drops = FrozenSet.Create("logprobs", "top_logprobs", "logit_bias");

        AssertSameAsSerialized(body, streaming: false, renames, drops);
        AssertSameAsSerialized(body, streaming: true, renames, drops);
        AssertSameAsSerialized(body, streaming: true, s_noRenames, FrozenSet.Create("stream_options"));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":"x","refusal":null}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":null}}""")]
    [InlineData("""{"model":"m","messages":[],"tools":[{"type":"function","function":{"name":"a"}},{"function":{"name":"b"}}]}""")]
    public void Relay_LeavesToSerializing_WhatTheBytesWouldSayOtherwise(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Null(RequestBody.Relay(bytes, "upstream-model", streaming: false, s_noRenames, s_noDrops));
        Assert.Null(RequestBody.Relay(bytes, "upstream-model", streaming: true, s_noRenames, s_noDrops));
    }

    [Fact]
    public void Relay_KeepsNullsOfUnknownFields_AndToolsWithTypes()
    {
        var body = """{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a","parameters":{"type":"object"}}}],"vendor":null,"vendor_deep":[null]}""";

        AssertSameAsSerialized(body, streaming: false, s_noRenames, s_noDrops);
    }

    [Fact]
    public void Create_RelaysTheClientsBytes_WhileTheRequestIsUnchanged()
    {
        var json = """{"model":"route","messages":[],"vendor":{ "a" : 1 }}"""u8.ToArray();
        var request = JsonSerializer.Deserialize(json, MoteJsonContext.Default.ChatCompletionRequest)!;
        request.KeepSource(json);

        var relayed = Body(RequestBody.Create(request, "upstream", streaming: false, s_noRenames, s_noDrops));
        var changed = Body(RequestBody.Create(request with { Logprobs = true }, "upstream", streaming: false, s_noRenames, s_noDrops));

        // Whitespace inside a value survives only when the client's bytes are relayed.
        Assert.Contains("{ \"a\" : 1 }", relayed);
        Assert.DoesNotContain("{ \"a\" : 1 }", changed);
        Assert.Contains("\"model\":\"upstream\"", relayed);
        Assert.Contains("\"logprobs\":true", changed);
        Assert.True((request with { Logprobs = true }).SourceJson.IsEmpty);
        Assert.False(request.SourceJson.IsEmpty);
    }

    private static void AssertSameAsSerialized(
        string body, bool streaming, FrozenDictionary<string, string> renames, FrozenSet<string> drops)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = JsonSerializer.Deserialize(bytes, MoteJsonContext.Default.ChatCompletionRequest)!;

        var serialized = Body(RequestBody.Create(request, "upstream-model", streaming, renames, drops));
        var relayed = Encoding.UTF8.GetString((RequestBody.Relay(bytes, "upstream-model", streaming, renames, drops)
            ?? throw new InvalidOperationException("the body was not relayed")).Span);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(serialized), JsonNode.Parse(relayed)),
            $"streaming={streaming}\nserialized: {serialized}\nrelayed:    {relayed}");
    }

    private static string Body(HttpContent content) => content.ReadAsStringAsync().GetAwaiter().GetResult();
}
