using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mote.Cli.GatewayBench;

/// <summary>
/// The fastest honest OpenAI-compatible upstream: answers every chat request at once from pre-built bytes — one
/// JSON completion, or a stream of a role chunk, eight content chunks (each flushed), a finish chunk, usage and
/// [DONE] — so that what the benchmark measures is the gateway in between.
/// </summary>
internal sealed class BenchUpstream : IAsyncDisposable
{
    private static readonly byte[] s_completion = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"The quick brown fox jumps over the lazy dog."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22}}
        """);

    private static readonly byte[][] s_events = BuildEvents();

    private readonly WebApplication _app;

    private BenchUpstream(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    public static async Task<BenchUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        return new BenchUpstream(app);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body).ConfigureAwait(false);
        var streaming = body.GetBuffer().AsSpan(0, (int)body.Length).IndexOf("\"stream\":true"u8) >= 0;
        var response = context.Response;
        if (!streaming)
        {
            response.ContentType = "application/json";
            response.ContentLength = s_completion.Length;
            await response.Body.WriteAsync(s_completion).ConfigureAwait(false);
            return;
        }
        response.ContentType = "text/event-stream";
        foreach (var e in s_events)
        {
            await response.Body.WriteAsync(e).ConfigureAwait(false);
            await response.Body.FlushAsync().ConfigureAwait(false);
        }
    }

    private static byte[][] BuildEvents()
    {
        const string head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":";
        var events = new List<string> { head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n" };
        foreach (var word in "The quick brown fox jumps over the lazy".Split(' '))
            events.Add(head + $"[{{\"index\":0,\"delta\":{{\"content\":\"{word} \"}},\"finish_reason\":null}}]}}\n\n");
        events.Add(head + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        events.Add(head + "[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}\n\n");
        events.Add("data: [DONE]\n\n");
        return events.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
