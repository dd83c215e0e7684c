using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Mote.Server;

namespace Mote.Cli.Chat;

/// <summary>
/// <c>mote chat --model FILE|ALIAS</c> without a server: the same server <c>mote serve</c> runs, started in this
/// process on a free loopback port, so the chat talks to the engine through exactly the API everyone else uses
/// (templates, sampling, errors and all). Its usage ledger goes to one shared temporary folder, reused by every
/// chat (SQLite in WAL mode takes concurrent writers), so that a chat ended by Ctrl+C leaves nothing new behind.
/// </summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(200);

    private readonly WebApplication _app;

    private EmbeddedServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    /// <summary>Starts the server and waits until <c>/health</c> says the model is loaded.</summary>
    public static async Task<EmbeddedServer> StartAsync(string model, TextWriter progress, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mote-chat");
        var options = new MoteServerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory, WatchConfig = false };
        options.Models.Add(model);
        var builder = MoteServer.CreateBuilder(options);
        // The chat owns the terminal: server logs would interleave with the conversation.
        builder.WebApplicationBuilder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new EmbeddedServer(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await server.WaitUntilReadyAsync(model, progress, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(string model, TextWriter progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = Timeout.InfiniteTimeSpan };
        var told = false;
        while (true)
        {
            using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return;
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new ChatClientException($"The model {model} could not be served: {(int)response.StatusCode} {body}");
            }
            if (!told)
            {
                await progress.WriteLineAsync($"Loading {model} …").ConfigureAwait(false);
                told = true;
            }
            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
