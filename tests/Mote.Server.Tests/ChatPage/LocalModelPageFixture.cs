using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Mote.Testing;

namespace Mote.Server.Tests.ChatPage;

/// <summary>
/// <c>mote serve --model stories260K-f32.gguf</c> on loopback (the real engine, no gateway fakes) and Chromium,
/// for the chat page's test against a fixture model. Does nothing where the fixtures or Chromium are absent.
/// </summary>
public sealed class LocalModelPageFixture : IAsyncLifetime
{
    public const string Model = "stories260K-f32";

    private IPlaywright? _playwright;
    private WebApplication? _app;

    public IBrowser? Browser { get; private set; }

    public string BaseUrl => _app?.Urls.First() ?? throw new InvalidOperationException("The server did not start.");

    public async Task InitializeAsync()
    {
        if (!Fixtures.Available || !ChromiumFactAttribute.IsInstalled)
            return;
        var options = new MoteServerOptions { Port = 0, DataDirectory = RepoPaths.NewTempDirectory(), WatchConfig = false };
        options.Models.Add(Fixtures.Path("stories260K", Model + ".gguf"));
        var builder = MoteServer.CreateBuilder(options);
        if (Environment.GetEnvironmentVariable("MOTE_TEST_LOGS") != "1")
            builder.WebApplicationBuilder.Logging.ClearProviders();
        _app = builder.Build();
        await _app.StartAsync();
        await WaitUntilReadyAsync();
        (_playwright, Browser) = await ChromiumBrowser.LaunchAsync();
    }

    public Task<(IPage Page, List<string> Errors)> OpenAsync(int width = 1280, int height = 860) =>
        ChromiumBrowser.OpenAsync(Browser ?? throw new InvalidOperationException("Chromium is not installed."), BaseUrl, width, height);

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!(await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The fixture model did not load within two minutes.");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
