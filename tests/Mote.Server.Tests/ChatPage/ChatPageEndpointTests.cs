using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.ChatPage;

/// <summary><c>GET /</c> and the page's files over plain HTTP: content types, security headers, caching, links.</summary>
public sealed partial class ChatPageEndpointTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _host = await GatewayHost.StartAsync($$"""
            providers:
              fake: { type: openai-compatible, base_url: "{{_upstream.BaseUrl}}" }
            deployments:
              small: { provider: fake, model: upstream-small }
            routes:
              chat: small
            """);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task GetRoot_ServesChatPageWithStrictSecurityHeaders()
    {
        using var response = await _host.Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("""<script type="module" src="js/app.js"></script>""", html, StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/js/app.js", "text/javascript; charset=utf-8")]
    [InlineData("/chat.css", "text/css; charset=utf-8")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task GetAsset_ServesItWithItsContentType(string path, string contentType)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Content.Headers.ContentLength > 0);
    }

    [Fact]
    public async Task GetRoot_EveryFileThePageAndItsModulesLoadExists()
    {
        var html = await _host.Client.GetStringAsync("/");
        var pending = new Queue<string>(Referenced().Matches(html).Select(m => "/" + m.Groups["path"].Value));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path))
                continue;
            using var response = await _host.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
            if (!path.EndsWith(".js", StringComparison.Ordinal))
                continue;
            var script = await response.Content.ReadAsStringAsync();
            foreach (Match import in Import().Matches(script))
                pending.Enqueue("/js/" + import.Groups["file"].Value);
        }
        Assert.Contains("/js/markdown.js", seen);
        Assert.Contains("/js/sse.js", seen);
    }

    [Fact]
    public async Task GetRoot_WithCurrentETag_Returns304()
    {
        using var first = await _host.Client.GetAsync("/");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var second = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task UnknownPath_StillAnswersOpenAiError404()
    {
        using var response = await _host.Client.GetAsync("/chat/missing");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"code\":\"unknown_url\"", body, StringComparison.Ordinal);
    }

    [GeneratedRegex("""(?:src|href)="(?<path>[^"#:]+)""")]
    private static partial Regex Referenced();

    [GeneratedRegex("""from '\./(?<file>[\w.-]+\.js)'""")]
    private static partial Regex Import();
}
