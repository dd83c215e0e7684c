using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Gateway.Configuration;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>Start-up validation, hot reload, local deployments through the catalog, metrics.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Startup_WithAnUndefinedDeployment_FailsNamingThePath()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync("""
            providers:
              fake: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
            deployments:
              a: { provider: fake, model: m }
            routes:
              chat: { fallback: [a, missing] }
              broken: { balance: [a], policy: fastest }
            """));

        Assert.Contains("routes.chat.fallback[1].deployment: deployment 'missing' is not defined.", error.Message);
        Assert.Contains("routes.broken.policy: unknown policy 'fastest'", error.Message);
    }

    [Fact]
    public async Task Startup_WithAMisspelledKey_FailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync("""
            providers:
              fake: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
            deployments:
              a: { provider: fake, model: m, context_lenght: 4096 }
            routes:
              chat: a
            """));

        Assert.Contains("deployments.a.context_lenght", error.Message);
    }

    [Fact]
    public async Task Startup_LocalDeploymentTheEngineCannotServe_FailsClearly()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync("""
            providers:
              here: { type: local }
            deployments:
              qwen: { provider: here, model: qwen2.5-0.5b-instruct-q8_0.gguf }
            routes:
              chat: qwen
            """));

        Assert.Contains("qwen2.5-0.5b-instruct-q8_0.gguf", error.Message);
        Assert.Contains("deployments.qwen", error.Message);
    }

    [Fact]
    public async Task LocalDeployment_IsServedThroughTheRegisteredCatalog()
    {
        await using var host = await GatewayHost.StartAsync("""
            providers:
              here: { type: local }
            deployments:
              tiny: { provider: here, model: tiny.gguf }
            routes:
              tiny: tiny
            """, configure: builder => builder.Services.AddSingleton<ILocalModelCatalog>(new EchoCatalog()));

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("tiny", "echo me"));
        var (_, events, _) = await host.StreamAsync(GatewayHost.Chat("tiny", "echo me", stream: true));

        Assert.Equal(200, status);
        Assert.Equal("echo me", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("echo me", GatewayHost.Content(events));
    }

    [Fact]
    public async Task ConfigFileChange_IsReloaded_AndAnInvalidChangeKeepsTheOldConfiguration()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var config = TestConfig.Build("first: a", TestConfig.FastResilience, "", new Target("a", upstream));
        await using var host = await GatewayHost.StartAsync(config);
        var store = host.App.Services.GetRequiredService<GatewayConfigStore>();
        var rejected = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.ReloadRejected += errors => rejected.TrySetResult(errors);

        var version = store.Version;
        await File.WriteAllTextAsync(host.ConfigPath, config.Replace("first: a", "first: a\n  second: a", StringComparison.Ordinal));
        await WaitUntil(() => store.Version > version);
        var second = await host.ChatAsync(GatewayHost.Chat("second"));

        await File.WriteAllTextAsync(host.ConfigPath, config.Replace("first: a", "first: nowhere", StringComparison.Ordinal));
        var errors = await rejected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stillSecond = await host.ChatAsync(GatewayHost.Chat("second"));

        Assert.Equal(200, second.Status);
        Assert.Contains(errors, e => e.Contains("deployment 'nowhere' is not defined", StringComparison.Ordinal));
        Assert.Equal(200, stillSecond.Status);
    }

    [Fact]
    public async Task Metrics_ExposePerDeploymentCountersHistogramsAndCircuitState()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Always(Behaviours.Ok("three token answer", promptTokens: 7));
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "",
            new Target("a", upstream, "input_price: 1, output_price: 1")));

        await host.ChatAsync(GatewayHost.Chat("chat"));
        await host.StreamAsync(GatewayHost.Chat("chat", stream: true));
        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Contains("# TYPE mote_gateway_requests_total counter", metrics);
        Assert.Contains("mote_gateway_requests_total{deployment=\"a\",outcome=\"ok\"} 2", metrics);
        Assert.Contains("mote_gateway_tokens_total{deployment=\"a\",type=\"prompt\"} 14", metrics);
        Assert.Contains("mote_gateway_request_duration_seconds_count{deployment=\"a\"} 2", metrics);
        Assert.Contains("mote_gateway_ttft_seconds_bucket{deployment=\"a\",le=\"+Inf\"} 1", metrics);
        Assert.Contains("mote_gateway_circuit_state{deployment=\"a\"} 0", metrics);
        Assert.Contains("mote_gateway_cost_usd_total{deployment=\"a\"}", metrics);
        // Framework meters (Kestrel, hosting, HttpClient) share the factory but stay unheard: only Mote.* is exported.
        Assert.DoesNotContain("http_server", metrics);
        Assert.DoesNotContain("http_client", metrics);
        Assert.DoesNotContain("kestrel", metrics);
    }

    [Fact]
    public async Task DirectAddressing_ReachesAProviderModelWhenAllowed()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "allow_direct: true",
            new Target("a", upstream)));

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("p_a/some-org/some-model"));

        Assert.Equal(200, status);
        Assert.Equal("some-org/some-model", body.GetProperty("model").GetString());
        Assert.Equal("some-org/some-model", upstream.Requests.Single().Json.GetProperty("model").GetString());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition(), "condition not reached within 10 s");
    }

    /// <summary>A stand-in for the engine: answers with the last user message.</summary>
    private sealed class EchoCatalog : ILocalModelCatalog, IChatCompletionClient
    {
        public IChatCompletionClient? Find(string model) => model == "tiny.gguf" ? this : null;

        public Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ChatCompletionResponse
            {
                Id = "local-1",
                Model = request.Model!,
                Choices = [new ChatChoice { Message = new ChatMessage { Role = "assistant", Content = Echo(request) }, FinishReason = "stop" }],
                Usage = Usage.Of(2, 2),
            });

        public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return new ChatCompletionChunk { Choices = [new ChunkChoice { Delta = new ChatDelta { Role = "assistant", Content = Echo(request) } }] };
            yield return new ChatCompletionChunk { Choices = [new ChunkChoice { Delta = new ChatDelta(), FinishReason = "stop" }] };
        }

        private static string Echo(ChatCompletionRequest request) => request.Messages![^1].Content!.GetText();
    }
}
