using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Mote.Server.Tests.ChatPage;

/// <summary>The chat page against a real fixture model served in-process by the engine.</summary>
public sealed class ChatPageLocalModelTests(LocalModelPageFixture fixture) : IClassFixture<LocalModelPageFixture>
{
    [ChromiumFact(NeedsFixtures = true)]
    public async Task Page_FixtureModel_StreamsStoryWithTokenRate()
    {
        var (page, errors) = await fixture.OpenAsync();
        await ChatPageTests.PickModelAsync(page, LocalModelPageFixture.Model);
        await page.ClickAsync("#settings-toggle");
        await page.FillAsync("#max-tokens", "24");
        await page.PressAsync("#max-tokens", "Tab");
        await page.ClickAsync("#settings-toggle");

        await page.FillAsync("#prompt", "Once upon a time");
        await page.PressAsync("#prompt", "Enter");

        var reply = page.Locator(".msg-assistant").Last;
        // (That the reply shows while it grows is checked against the paced fake; this engine may finish within a frame.)
        await Expect(reply.Locator(".msg-content")).Not.ToBeEmptyAsync(new() { Timeout = 60_000 });
        await Expect(reply).Not.ToHaveClassAsync(new Regex("streaming"), new() { Timeout = 60_000 });
        await Expect(reply.Locator(".msg-error")).ToHaveCountAsync(0);
        // The model's usage is authoritative: at most the 24 tokens asked for, and a decoding speed.
        await Expect(reply.Locator(".stats")).ToHaveTextAsync(new Regex(@"^([1-9]|1\d|2[0-4]) tokens? · \d+(\.\d)? tok/s"));
        Assert.NotEqual("", (await reply.Locator(".msg-content").InnerTextAsync()).Trim());
        await ChromiumBrowser.ScreenshotAsync(page, "chat-local-model");
        Assert.Empty(errors);
    }
}
