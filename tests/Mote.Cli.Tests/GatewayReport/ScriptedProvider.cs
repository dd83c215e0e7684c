using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mote.Cli.Tests.GatewayReport;

/// <summary>What a scripted model answers to one question: text (one token per word, each with <c>Logprob</c>), or an HTTP error.</summary>
internal sealed record Reply(string Text, double Logprob = -0.05, int ErrorStatus = 0)
{
    public static Reply Error(int status) => new("", 0, status);

    public int CompletionTokens => Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>
/// An OpenAI-compatible provider on 127.0.0.1 serving several models, each answering from a table keyed by the last
/// user message, with log-probabilities and usage (a fixed prompt-token count per model, one completion token per word).
/// </summary>
internal sealed class ScriptedProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, (int PromptTokens, Dictionary<string, Reply> Replies)> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JsonElement> _requests = new();

    private ScriptedProvider(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First() + "/v1";

    public IReadOnlyList<JsonElement> Requests => [.. _requests];

    public int CountFor(string model) => Requests.Count(r => r.GetProperty("model").GetString() == model);

    public static async Task<ScriptedProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var provider = new ScriptedProvider(app);
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/v1/chat/completions", provider.ChatAsync);
        await app.StartAsync();
        return provider;
    }

    public ScriptedProvider Model(string model, int promptTokens, Dictionary<string, Reply> replies)
    {
        _models[model] = (promptTokens, replies);
        return this;
    }

    private async Task ChatAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var request = body.RootElement.Clone();
        _requests.Enqueue(request);
        var model = request.GetProperty("model").GetString()!;
        var question = request.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString()!;
        var (promptTokens, replies) = _models[model];
        var reply = replies[question];
        context.Response.ContentType = "application/json";
        if (reply.ErrorStatus != 0)
        {
            context.Response.StatusCode = reply.ErrorStatus;
            await context.Response.WriteAsync("""{"error":{"message":"scripted failure","type":"server_error","param":null,"code":null}}""");
            return;
        }
        var words = reply.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var answer = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-scripted",
            @object = "chat.completion",
            created = 1,
            model,
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = new { role = "assistant", content = reply.Text },
                    logprobs = new { content = words.Select(w => new { token = w, logprob = reply.Logprob, bytes = Array.Empty<int>(), top_logprobs = Array.Empty<object>() }) },
                    finish_reason = "stop",
                },
            },
            usage = new { prompt_tokens = promptTokens, completion_tokens = words.Length, total_tokens = promptTokens + words.Length },
        });
        await context.Response.WriteAsync(answer);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
