using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mote.Server.Tests.ChatPage;

/// <summary>The chat page end to end: a real server, a scripted upstream, headless Chromium.</summary>
public sealed class ChatPageTests(ChatPageFixture fixture) : IClassFixture<ChatPageFixture>
{
    [ChromiumFact]
    public async Task Page_SendMessage_StreamsMarkdownReplyWithTokenRateAndKeepsHistory()
    {
        var (page, errors) = await fixture.OpenAsync();
        await PickModelAsync(page, "stories");
        await page.ClickAsync("#settings-toggle");
        await page.FillAsync("#system", "You are terse.");
        await page.FillAsync("#max-tokens", "100");
        await page.PressAsync("#max-tokens", "Tab");

        await page.FillAsync("#prompt", "Tell me a story");
        await page.PressAsync("#prompt", "Enter");

        // The reply is on screen while it is still arriving…
        await page.WaitForFunctionAsync("""
            () => {
              const m = document.querySelector('.msg-assistant.streaming .msg-content');
              return m !== null && m.textContent.length > 0 && !m.textContent.includes('That is all');
            }
            """);
        // …and complete, rendered as Markdown, with its figures.
        var reply = page.Locator(".msg-assistant").Last;
        await Expect(reply).Not.ToHaveClassAsync(new Regex("streaming"));
        await Expect(reply.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(reply.Locator("em")).ToHaveTextAsync("italic");
        await Expect(reply.Locator("li")).ToHaveTextAsync(["first", "second"]);
        await Expect(reply.Locator("pre code.language-python")).ToHaveTextAsync("print('hi')");
        await Expect(reply.Locator(".copy-code")).ToBeVisibleAsync();
        var tokens = PacedReplies.Words(ChatPageFixture.Reply).Count;
        await Expect(reply.Locator(".stats")).ToContainTextAsync(new Regex($@"^{tokens} tokens · \d+(\.\d)? tok/s"));
        await ScreenshotAsync(page, "chat-reply");

        // The second turn carries the first one and the system prompt.
        await page.FillAsync("#prompt", "And then?");
        await page.PressAsync("#prompt", "Enter");
        await Expect(page.Locator(".msg-assistant")).ToHaveCountAsync(2);
        await Expect(page.Locator(".msg-assistant.streaming")).ToHaveCountAsync(0);
        var sent = fixture.RequestsFor("model-stories")[^1].Json.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal(100, fixture.RequestsFor("model-stories")[^1].Json.GetProperty("max_tokens").GetInt32());
        Assert.Equal(
            [("system", "You are terse."), ("user", "Tell me a story"), ("assistant", ChatPageFixture.Reply), ("user", "And then?")],
            sent);

        // The conversation survives a reload (localStorage); New chat starts an empty one beside it.
        await page.ReloadAsync();
        await Expect(page.Locator(".msg")).ToHaveCountAsync(4);
        await Expect(page.Locator(".chat-open[aria-current=true]")).ToHaveTextAsync("Tell me a story");
        await page.ClickAsync("#new-chat");
        await Expect(page.Locator(".msg")).ToHaveCountAsync(0);
        await Expect(page.Locator(".chat-open")).ToHaveCountAsync(2);
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Page_StopButton_EndsLongReplyAndCancelsUpstream()
    {
        var (page, errors) = await fixture.OpenAsync();
        await PickModelAsync(page, "slow");
        await page.FillAsync("#prompt", "Count for a long time");
        await page.ClickAsync("#send");

        var reply = page.Locator(".msg-assistant").Last;
        await Expect(reply.Locator(".msg-content")).ToContainTextAsync("tick tick tick");
        await Expect(page.Locator("#send")).ToBeHiddenAsync();
        await page.ClickAsync("#stop");

        await Expect(reply.Locator(".stopped")).ToHaveTextAsync("Stopped");
        await Expect(reply.Locator(".stats")).ToContainTextAsync("tokens");
        await Expect(reply.Locator(".msg-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(page.Locator("#stop")).ToBeHiddenAsync();
        // The abort travelled through the server to the upstream.
        await fixture.SlowReplyAborted.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Page_FailingRequests_ShowServerMessageAndNetworkError()
    {
        var (page, _) = await fixture.OpenAsync();
        await PickModelAsync(page, "broken");
        await page.FillAsync("#prompt", "Hello");
        await page.PressAsync("#prompt", "Enter");

        var error = page.Locator(".msg-assistant .msg-error").Last;
        await Expect(error).ToContainTextAsync(ChatPageFixture.ErrorMessage);
        await Expect(error.Locator(".retry")).ToBeVisibleAsync();
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "chat-error");

        // A request that never reaches the server.
        await page.RouteAsync("**/v1/chat/completions", route => route.AbortAsync());
        await PickModelAsync(page, "stories");
        await page.FillAsync("#prompt", "Anyone there?");
        await page.PressAsync("#prompt", "Enter");
        await Expect(page.Locator(".msg-assistant .msg-error").Last).ToContainTextAsync("Could not reach the server");
    }

    [ChromiumFact]
    public async Task Page_ReplyWithHtml_IsShownAsTextNeverRun()
    {
        var (page, errors) = await fixture.OpenAsync();
        await PickModelAsync(page, "hostile");
        await page.FillAsync("#prompt", "Say something nasty");
        await page.PressAsync("#prompt", "Enter");

        var reply = page.Locator(".msg-assistant").Last;
        await Expect(reply.Locator(".stats")).ToBeVisibleAsync();
        await Expect(reply.Locator(".msg-content")).ToContainTextAsync("<img src=x onerror=\"window.__pwned=1\">");
        await Expect(reply.Locator(".msg-content")).ToContainTextAsync("<script>window.__pwned=3</script>");
        Assert.Equal(0, await page.Locator("#messages img, #messages script, #messages a").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Markdown_Render_MatchesExpectedHtml()
    {
        var (page, _) = await fixture.OpenAsync();
        (string Source, string Html)[] cases =
        [
            ("# Title", """<h3 class="md-h1">Title</h3>"""),
            ("a **b** and `<c>`", "<p>a <strong>b</strong> and <code>&lt;c&gt;</code></p>"),
            ("snake_case_name and 2*3*4", "<p>snake_case_name and 2*3*4</p>"),
            ("line one\nline two", "<p>line one<br>line two</p>"),
            ("[docs](https://example.com/?a=1&b=2)",
                """<p><a href="https://example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">docs</a></p>"""),
            ("[bad](javascript:alert)", "<p>bad</p>"),
            ("See https://example.com.", """<p>See <a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>.</p>"""),
            ("1. one\n2. two", "<ol><li>one</li><li>two</li></ol>"),
            ("- a\n  - b\n- c", "<ul><li><p>a</p><ul><li>b</li></ul></li><li>c</li></ul>"),
            ("> quoted", "<blockquote><p>quoted</p></blockquote>"),
            ("```js\nlet x = '<b>';\n```",
                """<div class="code-block"><div class="code-head"><span class="code-lang">js</span><button type="button" class="copy-code" aria-label="Copy code">Copy</button></div><pre><code class="language-js">let x = &#39;&lt;b&gt;&#39;;</code></pre></div>"""),
            ("```\nunfinished", """<div class="code-block"><div class="code-head"><span class="code-lang">code</span><button type="button" class="copy-code" aria-label="Copy code">Copy</button></div><pre><code>unfinished</code></pre></div>"""),
            ("| a | b |\n|---|--:|\n| 1 | 2 |",
                """<div class="table-wrap"><table><thead><tr><th>a</th><th class="align-right">b</th></tr></thead><tbody><tr><td>1</td><td class="align-right">2</td></tr></tbody></table></div>"""),
        ];
        foreach (var (source, html) in cases)
        {
            var rendered = await page.EvaluateAsync<string>("async (s) => (await import('./js/markdown.js')).renderMarkdown(s)", source);
            Assert.True(html == rendered, $"Markdown {source!}\nexpected {html}\nactual   {rendered}");
        }
    }

    [ChromiumFact]
    public async Task Page_NarrowScreen_OpensSidebarFromMenuButton()
    {
        var (page, errors) = await fixture.OpenAsync(390, 844);
        await PickModelAsync(page, "stories");
        await Expect(page.Locator("#new-chat")).Not.ToBeInViewportAsync();
        await page.ClickAsync("#toggle-sidebar");
        await Expect(page.Locator("#toggle-sidebar")).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("#new-chat")).ToBeInViewportAsync();
        await page.ClickAsync("#new-chat");
        await Expect(page.Locator("#toggle-sidebar")).ToHaveAttributeAsync("aria-expanded", "false");
        await page.FillAsync("#prompt", "Hi");
        await page.PressAsync("#prompt", "Enter");
        await Expect(page.Locator(".msg-assistant .stats")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "chat-narrow");
        Assert.Empty(errors);
    }

    internal static async Task PickModelAsync(IPage page, string model)
    {
        await Expect(page.Locator($"#model option[value='{model}']")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#model", model);
    }

    private static Task ScreenshotAsync(IPage page, string name) => ChromiumBrowser.ScreenshotAsync(page, name);
}
