using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mote.Engine.Hub;

namespace Mote.Server.Tests.LocalModels;

/// <summary>Queue limits, client disconnects and readiness of a local model.</summary>
public sealed class BackPressureTests
{
    [Fact]
    public async Task Chat_QueueFull_Returns429WithRetryAfterAtOnce()
    {
        await using var server = await LocalServer.StartAsync(TestModels.TinyChat, o =>
        {
            o.Parallel = 1;
            o.QueueLength = 2;
        });
        // Paused, the scheduler admits nothing: two requests fill the queue, the third finds it full.
        server.Scheduler.Pause();
        var body = server.Chat("wait", ""","max_tokens":2""");
        var queued = new[] { server.PostAsync("/v1/chat/completions", body), server.PostAsync("/v1/chat/completions", body) };
        Assert.True(await LocalServer.EventuallyAsync(() => server.Scheduler.QueueDepth == 2));

        using var refused = await server.PostAsync("/v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());

        server.Scheduler.Resume();
        foreach (var response in await Task.WhenAll(queued))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        // A refusal is not ill health: the next request is served.
        var (status, _) = await server.JsonAsync("/v1/chat/completions", body);
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Chat_ClientDisconnects_SlotIsFreedWithinAStep()
    {
        await using var server = await LocalServer.StartAsync(TestModels.TinyChat, o => o.Parallel = 1);
        using var cancel = new CancellationTokenSource();
        var response = await server.PostAsync("/v1/chat/completions",
            server.Chat("go on forever", ""","max_tokens":200,"ignore_eos":true""", stream: true), cancel.Token);
        var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        var buffer = new byte[64];
        Assert.True(await stream.ReadAsync(buffer, cancel.Token) > 0);

        // Freeze generation, hang up, and wait until the server has noticed.
        server.Scheduler.Pause();
        Assert.True(await LocalServer.EventuallyAsync(() => server.Scheduler.IsParked));
        var generatedAtHangUp = server.Stats.TokensGenerated;
        cancel.Cancel();
        response.Dispose();
        Assert.True(await LocalServer.EventuallyAsync(() => server.Scheduler.ActiveJobs.All(j => j.IsCancelled)));
        server.Scheduler.Resume();

        Assert.True(await LocalServer.EventuallyAsync(() => server.Scheduler.ActiveSequences == 0));
        Assert.True(server.Stats.TokensGenerated - generatedAtHangUp <= 1, "generation went on after the client left");
        Assert.True(server.Stats.TokensGenerated < 200);
        var (status, _) = await server.JsonAsync("/v1/chat/completions", server.Chat("next", ""","max_tokens":2"""));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Health_ModelThatCannotLoad_Answers503AndChatIsRefused()
    {
        // An alias with the hub unreachable: the model never loads.
        var options = new MoteServerOptions { Port = 0, DataDirectory = Mote.Testing.RepoPaths.NewTempDirectory(), WatchConfig = false };
        options.Models.Add(ModelAliases.Default);
        var builder = MoteServer.CreateBuilder(options);
        builder.WebApplicationBuilder.Logging.ClearProviders();
        builder.Services.Configure<Mote.Server.LocalModels.LocalModelOptions>(o => o.Hub = new HubOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9"),
            CacheDirectory = Mote.Testing.RepoPaths.NewTempDirectory(),
            MaxAttempts = 1,
        });
        await using var app = builder.Build();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var health = await client.GetAsync("/health");
        using var chat = await client.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{ModelAliases.Default}}","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
    }
}
