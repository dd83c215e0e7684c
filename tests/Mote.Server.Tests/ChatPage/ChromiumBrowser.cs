using Microsoft.Playwright;

namespace Mote.Server.Tests.ChatPage;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download is impossible here), and fresh pages on it:
/// each page gets its own context, so its localStorage starts empty, and records the page's script errors.
/// </summary>
internal static class ChromiumBrowser
{
    private static readonly string[] s_args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = s_args,
        });
        return (playwright, browser);
    }

    public static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, string baseUrl, int width, int height)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                errors.Add(message.Text);
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/");
        return (page, errors);
    }

    /// <summary>Screenshots for a human to look at, when MOTE_SCREENSHOTS names a folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("MOTE_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
    }
}
