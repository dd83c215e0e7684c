using Microsoft.Extensions.Logging;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>What the server does per request beyond the gateway's work: no framework tracing nobody listens to.</summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public async Task ChatCompletions_WithLoggingOn_StartsNoTraceForTheUpstreamCall()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        // With any log provider, hosting used to start an Activity per request for log scopes, and HttpClient then
        // sent its trace context upstream.
        await using var host = await GatewayHost.StartAsync($"""
            providers:
              fake: {"{"} type: openai-compatible, base_url: "{upstream.BaseUrl}" {"}"}
            deployments:
              small: {"{"} provider: fake, model: upstream-small {"}"}
            routes:
              chat: small
            """, configure: server => server.WebApplicationBuilder.Logging.AddProvider(new EnabledLoggerProvider()));

        var (status, body, _) = await host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.True(status == 200, body.ToString());
        Assert.False(upstream.Requests.Single().Headers.ContainsKey("traceparent"));
    }

    /// <summary>A provider whose loggers are enabled at every level and write nowhere.</summary>
    private sealed class EnabledLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new EnabledLogger();

        public void Dispose()
        {
        }

        private sealed class EnabledLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
            }
        }
    }
}
