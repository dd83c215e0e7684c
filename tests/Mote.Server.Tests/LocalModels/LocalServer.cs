using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mote.Server.LocalModels;
using Mote.Server.LocalModels.Scheduling;
using Mote.Testing;

namespace Mote.Server.Tests.LocalModels;

/// <summary>
/// A real <c>mote serve --model FILE</c> on an ephemeral loopback port, with the model loaded before the test starts.
/// </summary>
internal sealed class LocalServer : IAsyncDisposable
{
    private LocalServer(WebApplication app, string modelPath)
    {
        App = app;
        Model = LocalModelRoutes.RouteName(modelPath);
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(120) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>The public model name (the file name without .gguf).</summary>
    public string Model { get; }

    public string BaseUrl => App.Urls.First();

    public LocalModelCatalog Catalog => App.Services.GetRequiredService<LocalModelCatalog>();

    public BatchScheduler Scheduler => Catalog.Hosts.Single().Get().Scheduler;

    public SchedulerStats Stats => Scheduler.Stats;

    public static async Task<LocalServer> StartAsync(string modelPath, Action<LocalModelOptions>? configure = null, bool waitForLoad = true)
    {
        var options = new MoteServerOptions { Port = 0, DataDirectory = RepoPaths.NewTempDirectory(), WatchConfig = false };
        options.Models.Add(modelPath);
        var builder = MoteServer.CreateBuilder(options);
        if (Environment.GetEnvironmentVariable("MOTE_TEST_LOGS") != "1")
            builder.WebApplicationBuilder.Logging.ClearProviders();
        builder.Services.Configure<LocalModelOptions>(o =>
        {
            o.Parallel = 4;
            o.ContextLength = 256;
            configure?.Invoke(o);
        });
        var app = builder.Build();
        await app.StartAsync();
        var server = new LocalServer(app, modelPath);
        if (waitForLoad)
            await server.Catalog.Hosts.Single().WhenLoadedAsync();
        return server;
    }

    /// <summary>A chat request body.</summary>
    public string Chat(string text, string extra = "", bool stream = false) =>
        $$"""{"model":"{{Model}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(text)}}}],"stream":{{(stream ? "true" : "false")}}{{extra}}}""";

    public Task<HttpResponseMessage> PostAsync(string path, string body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Posts and parses the JSON answer (any status).</summary>
    public async Task<(int Status, JsonElement Body)> JsonAsync(string path, string body)
    {
        using var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Posts a streaming request and returns every SSE data payload, "[DONE]" included.</summary>
    public async Task<(int Status, List<string> Events)> StreamAsync(string path, string body)
    {
        using var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => e["data: ".Length..])
            .ToList();
        return ((int)response.StatusCode, events);
    }

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; false after the timeout.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, double seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (condition())
                return true;
            await Task.Delay(10);
        }
        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
