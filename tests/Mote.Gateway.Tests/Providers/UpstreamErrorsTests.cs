using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Mote.Gateway.Providers;

namespace Mote.Gateway.Tests.Providers;

public sealed class UpstreamErrorsTests
{
    [Theory]
    [InlineData(429, null, "Rate limit reached", FailureKind.RateLimited)]
    [InlineData(429, "insufficient_quota", "You exceeded your current quota", FailureKind.QuotaExhausted)]
    [InlineData(400, "context_length_exceeded", "too long", FailureKind.ContextLength)]
    [InlineData(400, null, "This model's maximum context length is 8192 tokens", FailureKind.ContextLength)]
    [InlineData(400, null, "prompt is too long: 210000 tokens > 200000 maximum", FailureKind.ContextLength)]
    [InlineData(413, null, "payload too large", FailureKind.ContextLength)]
    [InlineData(400, "content_filter", "filtered", FailureKind.ContentFilter)]
    [InlineData(400, null, "The response was filtered due to the prompt triggering Azure OpenAI's content management policy", FailureKind.ContentFilter)]
    [InlineData(400, null, "Invalid 'temperature'", FailureKind.BadRequest)]
    [InlineData(401, null, "Incorrect API key", FailureKind.Unauthorized)]
    [InlineData(403, null, "Forbidden", FailureKind.Unauthorized)]
    [InlineData(404, "model_not_found", "no such model", FailureKind.NotFound)]
    [InlineData(408, null, "timeout", FailureKind.Timeout)]
    [InlineData(500, null, "oops", FailureKind.ServerError)]
    [InlineData(503, null, "unavailable", FailureKind.ServerError)]
    [InlineData(529, null, "overloaded", FailureKind.ServerError)]
    public void Classify_StatusAndBody(int status, string? code, string message, FailureKind expected) =>
        Assert.Equal(expected, UpstreamErrors.Classify(status, code, null, message));

    [Theory]
    [InlineData("""{"error":{"message":"m","type":"t","code":"c","param":"p"}}""", "m", "c")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", "Overloaded", null)]
    [InlineData("""{"error":"plain string"}""", "plain string", null)]
    [InlineData("""{"detail":"vllm style"}""", "vllm style", null)]
    [InlineData("<html>Bad Gateway</html>", "<html>Bad Gateway</html>", null)]
    public void ParseError_ReadsTheCommonShapes(string body, string message, string? code)
    {
        var error = UpstreamErrors.ParseError(body, 500);

        Assert.Equal(message, error.Error.Message);
        Assert.Equal(code, error.Error.Code);
    }

    [Fact]
    public void FailureKinds_DecideRetryAndFinality()
    {
        Assert.True(FailureKind.RateLimited.IsRetryable());
        Assert.True(FailureKind.Connect.IsRetryable());
        Assert.False(FailureKind.BadRequest.IsRetryable());
        Assert.False(FailureKind.ContentFilter.IsRetryable());
        Assert.False(FailureKind.FirstTokenTimeout.IsRetryable());
        Assert.True(FailureKind.ContentFilter.IsFinal());
        Assert.False(FailureKind.ContextLength.IsFinal());
        Assert.False(FailureKind.ContextLength.CountsAgainstHealth());
    }

    [Fact]
    public void RequestBody_AppliesRenamesAndDrops_AndKeepsAnExplicitTarget()
    {
        var json = Encoding.UTF8.GetBytes("""{"model":"m","max_completion_tokens":5,"logprobs":true,"seed":1}""");
        var renamed = RequestBody.Rewrite(json,
            new Dictionary<string, string> { ["max_completion_tokens"] = "max_tokens", ["seed"] = "random_seed" }.ToFrozenDictionary(),
            FrozenSet.Create("logprobs"));

        var root = JsonDocument.Parse(renamed).RootElement;

        Assert.Equal(5, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(1, root.GetProperty("random_seed").GetInt32());
        Assert.False(root.TryGetProperty("logprobs", out _));
        Assert.False(root.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal("m", root.GetProperty("model").GetString());
    }
}
