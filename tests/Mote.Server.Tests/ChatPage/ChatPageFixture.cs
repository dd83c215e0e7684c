using Microsoft.Playwright;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.ChatPage;

/// <summary>
/// One real <c>mote serve</c> on loopback for the chat page tests, routing four model names to a scripted upstream
/// (a markdown reply, a long slow reply, a 400 error, a reply full of HTML), and one headless Debian Chromium
/// driven by Playwright. Each test opens its own browser context, so its localStorage starts empty.
/// </summary>
public sealed class ChatPageFixture : IAsyncLifetime
{
    public const string Reply = "Hello! Here is **bold** and *italic* text.\n\n- first\n- second\n\n```python\nprint('hi')\n```\nThat is all.";
    public const string HostileReply = "<img src=x onerror=\"window.__pwned=1\"> and [click](javascript:window.__pwned=2) <script>window.__pwned=3</script> done";
    public const string ErrorMessage = "This model's maximum context length is 512 tokens.";

    private IPlaywright? _playwright;

    public FakeUpstream Upstream { get; private set; } = null!;

    internal GatewayHost Host { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    /// <summary>Set when the upstream sees the slow reply's request go away (the Stop button reached it).</summary>
    public TaskCompletionSource SlowReplyAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync();
        Upstream.Always(Dispatch);
        Host = await GatewayHost.StartAsync($$"""
            providers:
              fake: { type: openai-compatible, base_url: "{{Upstream.BaseUrl}}" }
            deployments:
              stories: { provider: fake, model: model-stories }
              slow: { provider: fake, model: model-slow }
              broken: { provider: fake, model: model-broken }
              hostile: { provider: fake, model: model-hostile }
            routes:
              stories: stories
              slow: slow
              broken: broken
              hostile: hostile
            resilience: { base_delay_ms: 1, max_delay_ms: 5, max_retries: 0 }
            """);
        if (!ChromiumFactAttribute.IsInstalled)
            return;
        (_playwright, Browser) = await ChromiumBrowser.LaunchAsync();
    }

    /// <summary>A fresh page (own context and storage) on the server, recording the page's script errors.</summary>
    public Task<(IPage Page, List<string> Errors)> OpenAsync(int width = 1280, int height = 860) =>
        ChromiumBrowser.OpenAsync(Browser ?? throw new InvalidOperationException("Chromium is not installed."), Host.BaseUrl, width, height);

    /// <summary>The request bodies the upstream received for one deployment model.</summary>
    public IReadOnlyList<RecordedRequest> RequestsFor(string upstreamModel) =>
        Upstream.Requests.Where(r => r.Json.GetProperty("model").GetString() == upstreamModel).ToList();

    private Task Dispatch(Microsoft.AspNetCore.Http.HttpContext context, RecordedRequest request)
    {
        var behaviour = request.Json.GetProperty("model").GetString() switch
        {
            "model-stories" => PacedReplies.Stream(PacedReplies.Words(Reply), TimeSpan.FromMilliseconds(40)),
            "model-slow" => PacedReplies.Stream(Enumerable.Repeat("tick ", 1000).ToList(), TimeSpan.FromMilliseconds(30), SlowReplyAborted),
            "model-hostile" => PacedReplies.Stream(PacedReplies.Words(HostileReply), TimeSpan.FromMilliseconds(5)),
            _ => Behaviours.Error(400, ErrorMessage, "context_length_exceeded", "invalid_request_error"),
        };
        return behaviour(context, request);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Host.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
