using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mote.Gateway.Usage;
using Mote.Testing;

namespace Mote.Server.Tests.Fakes;

/// <summary>
/// A real <c>mote serve</c> on an ephemeral loopback port, configured by YAML written to a temporary folder (so the
/// file can be edited for reload tests), with its ledger in the same folder.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private GatewayHost(WebApplication app, string directory, string configPath)
    {
        App = app;
        Directory = directory;
        ConfigPath = configPath;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string BaseUrl => App.Urls.First();

    public static async Task<GatewayHost> StartAsync(string yaml, TimeProvider? time = null, Action<MoteServerBuilder>? configure = null)
    {
        var directory = RepoPaths.NewTempDirectory();
        var path = Path.Combine(directory, "gateway.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var options = new MoteServerOptions { ConfigPath = path, Port = 0, TimeProvider = time };
        var builder = MoteServer.CreateBuilder(options);
        if (Environment.GetEnvironmentVariable("MOTE_TEST_LOGS") != "1")
            builder.WebApplicationBuilder.Logging.ClearProviders();
        configure?.Invoke(builder);
        var app = builder.Build();
        await app.StartAsync();
        return new GatewayHost(app, directory, path);
    }

    /// <summary>A chat request body with one user message.</summary>
    public static string Chat(string model, string text = "Say hello.", bool stream = false, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(text)}}}],"stream":{{(stream ? "true" : "false")}}{{(stream ? ",\"stream_options\":{\"include_usage\":true}" : "")}}{{extra}}}""";

    public async Task<HttpResponseMessage> PostAsync(string body, string? key = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Posts and parses a JSON answer (of any status).</summary>
    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> ChatAsync(string body, string? key = null,
        params (string Name, string Value)[] headers)
    {
        var response = await PostAsync(body, key, headers);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement, response);
    }

    /// <summary>Posts a streaming request and collects every SSE data payload (including "[DONE]").</summary>
    public async Task<(int Status, List<string> Events, HttpResponseMessage Response)> StreamAsync(string body, string? key = null,
        params (string Name, string Value)[] headers)
    {
        var response = await PostAsync(body, key, headers);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => e["data: ".Length..])
            .ToList();
        return ((int)response.StatusCode, events, response);
    }

    /// <summary>The concatenated content of a list of SSE events.</summary>
    public static string Content(IEnumerable<string> events)
    {
        var text = new StringBuilder();
        foreach (var e in events.Where(e => e != "[DONE]"))
        {
            var json = JsonDocument.Parse(e).RootElement;
            if (!json.TryGetProperty("choices", out var choices))
                continue;
            foreach (var choice in choices.EnumerateArray())
                if (choice.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                    text.Append(content.GetString());
        }
        return text.ToString();
    }

    public Task<IReadOnlyList<LedgerRow>> LedgerAsync() =>
        App.Services.GetRequiredService<UsageLedger>().RecentAsync(100);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
