using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Gateway.Configuration;
using Mote.Server.Endpoints;
using Mote.Server.Http;
using Mote.Server.LocalModels;
using Mote.Server.Metrics;

namespace Mote.Server;

/// <summary>
/// Composes the server. Register extra services (the engine's <c>ILocalModelCatalog</c>) in <see cref="Services"/>
/// before <see cref="Build"/>.
/// </summary>
public sealed class MoteServerBuilder
{
    /// <summary>ASP.NET Core's per-request hosting log category (request start and finish, trace scopes).</summary>
    internal const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private readonly WebApplicationBuilder _builder;

    internal MoteServerBuilder(MoteServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;

        // Read the file once up front: a broken file should fail here with its own message, and it may name the port.
        var fileConfig = options.ConfigPath is { } path ? GatewayConfigLoader.LoadFile(path) : null;
        var inline = options.Config ?? (options.Models.Count > 0 && fileConfig is null ? LocalModelRoutes.Synthesize(options.Models) : null);
        var host = options.Host ?? fileConfig?.Server?.Host ?? inline?.Server?.Host ?? MoteServerOptions.DefaultHost;
        var port = options.Port ?? fileConfig?.Server?.Port ?? inline?.Server?.Port ?? MoteServerOptions.DefaultPort;

        _builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Mote.Server", Args = [] });
        _builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (host is "localhost")
                kestrel.ListenLocalhost(port);
            else
                kestrel.Listen(IPAddress.Parse(host), port);
        });
        // Per-request framework logs cost more than the gateway itself; keep warnings and our own messages.
        _builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        _builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        // Hosting starts an Activity and a log scope for every request whenever this category is enabled at any level,
        // only so that log lines could carry trace ids; HttpClient then writes a traceparent header on every upstream
        // call. It logs nothing at Warning or above (Kestrel reports unhandled errors), so turning it off loses no
        // message and saves ~2% of the gateway's CPU. A tracing listener (OpenTelemetry) still switches activities on.
        _builder.Logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None);

        var services = _builder.Services;
        if (options.TimeProvider is { } time)
            services.AddSingleton(time);
        services.AddMoteGateway(gateway =>
        {
            gateway.ConfigPath = options.ConfigPath;
            gateway.Config = inline;
            gateway.DataDirectory = options.DataDirectory;
            gateway.WatchConfig = options.WatchConfig;
        });
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, MoteJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, ServerJsonContext.Default);
        });
        services.TryAddSingleton<PrometheusExporter>();
        services.AddLocalModels();
    }

    public MoteServerOptions Options { get; }

    /// <summary>The services of the server, open for additions until <see cref="Build"/>.</summary>
    public IServiceCollection Services => _builder.Services;

    /// <summary>The underlying ASP.NET Core builder, for hosting tweaks.</summary>
    public WebApplicationBuilder WebApplicationBuilder => _builder;

    /// <summary>Builds the application with every endpoint mapped.</summary>
    public WebApplication Build()
    {
        var app = _builder.Build();
        // Listen from the start: measurements taken before the exporter exists would be lost.
        app.Services.GetRequiredService<PrometheusExporter>();
        app.UseMiddleware<OpenAiErrorMiddleware>();
        app.MapChatCompletions();
        app.MapLocalCompletions();
        app.MapModels();
        app.MapHealth();
        app.MapMetrics();
        app.MapAdmin();
        app.MapChatPage();
        app.MapFallback(OpenAiErrorMiddleware.NotFoundAsync);
        return app;
    }
}
