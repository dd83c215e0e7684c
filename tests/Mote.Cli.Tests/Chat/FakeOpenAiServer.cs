using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mote.Cli.Tests.Chat;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 with three models, streaming exactly as OpenAI frames it (role delta,
/// content deltas, finish chunk, usage chunk, <c>data: [DONE]</c>): <c>echo</c> answers "You said: …" word by word,
/// <c>slow</c> ticks until its caller goes away, <c>broken</c> answers 400 with an OpenAI error object.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string ErrorMessage = "This model's maximum context length is 512 tokens.";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _requests = new();

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    /// <summary>The chat requests received, in order.</summary>
    public IReadOnlyList<JsonElement> Requests => [.. _requests];

    /// <summary>Set when the <c>slow</c> reply ends, which only its caller disconnecting makes it do.</summary>
    public TaskCompletionSource SlowAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeOpenAiServer(app);
        app.MapGet("/v1/models", () => Results.Text("""{"object":"list","data":[{"id":"echo","object":"model","created":1,"owned_by":"fake"},{"id":"slow","object":"model","created":1,"owned_by":"fake"},{"id":"broken","object":"model","created":1,"owned_by":"fake"}]}""", "application/json"));
        app.MapPost("/v1/chat/completions", fake.ChatAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task ChatAsync(HttpContext context)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body);
        var request = body.RootElement.Clone();
        _requests.Enqueue(request);
        var response = context.Response;
        var aborted = context.RequestAborted;
        switch (request.GetProperty("model").GetString())
        {
            case "echo":
                var last = request.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString();
                var pieces = Words($"You said: {last}");
                await StartStreamAsync(response, aborted);
                foreach (var piece in pieces)
                    await EventAsync(response, Chunk($$"""{"content":{{JsonSerializer.Serialize(piece)}}}""", "null"), aborted);
                await EventAsync(response, Chunk("{}", "\"stop\""), aborted);
                await EventAsync(response, $$$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"echo","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":{{{pieces.Count}}},"total_tokens":{{{pieces.Count + 5}}}}}""", aborted);
                await response.WriteAsync("data: [DONE]\n\n", aborted);
                break;
            case "slow":
                try
                {
                    await StartStreamAsync(response, aborted);
                    while (!aborted.IsCancellationRequested)
                    {
                        await EventAsync(response, Chunk("""{"content":"tick "}""", "null"), aborted);
                        await Task.Delay(20, aborted);
                    }
                }
                finally
                {
                    // This stream ends only when its caller goes away: RequestAborted, or a write to the closed
                    // connection that fails before Kestrel has cancelled RequestAborted (a registration on the token,
                    // disposed as the handler unwound, missed that case now and then).
                    SlowAborted.TrySetResult();
                }
                break;
            default:
                response.StatusCode = 400;
                response.ContentType = "application/json";
                await response.WriteAsync($$$"""{"error":{"message":{{{JsonSerializer.Serialize(ErrorMessage)}}},"type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""", aborted);
                break;
        }
    }

    private static async Task StartStreamAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        await EventAsync(response, Chunk("""{"role":"assistant","content":""}""", "null"), cancellationToken);
    }

    private static List<string> Words(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
            if (i == text.Length || text[i] == ' ')
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        return pieces;
    }

    private static string Chunk(string delta, string finish) =>
        $$"""{"id":"c1","object":"chat.completion.chunk","created":1,"model":"fake","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}}}]}""";

    private static async Task EventAsync(HttpResponse response, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"data: {json}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
