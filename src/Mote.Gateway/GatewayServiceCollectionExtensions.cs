using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mote.Gateway.Cascade;
using Mote.Gateway.Configuration;
using Mote.Gateway.Keys;
using Mote.Gateway.Providers;
using Mote.Gateway.Providers.Anthropic;
using Mote.Gateway.Resilience;
using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway;

/// <summary>Registers the gateway: <c>services.AddMoteGateway(o =&gt; o.ConfigPath = "gateway.yaml")</c>.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddMoteGateway(this IServiceCollection services, Action<GatewayOptions> configure)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddOptions<GatewayOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());

        // One pooled handler for every upstream; time limits are the gateway's own (budgets, deadlines), so the
        // client's timeout is off, and per-request logging handlers are removed from the hot path.
        services.AddHttpClient(UpstreamHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                AutomaticDecompression = DecompressionMethods.All,
                UseProxy = false,
                // A redirected POST would lose its body anyway; without redirects the handler skips a layer per call.
                AllowAutoRedirect = false,
                EnableMultipleHttp2Connections = true,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, OpenAiCompatibleProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, AnthropicProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, LocalProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoutingPolicy, WeightedPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoutingPolicy, LeastBusyPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoutingPolicy, LowestLatencyPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoutingPolicy, LowestCostPolicy>());

        services.TryAddSingleton<DeploymentStateRegistry>();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<DeploymentBuilder>();
        services.TryAddSingleton<GatewayCompiler>();
        services.TryAddSingleton<GatewayConfigStore>();
        services.TryAddSingleton<GatewayDatabase>();
        services.TryAddSingleton<UsageLedger>();
        services.TryAddSingleton<KeyStore>();
        services.TryAddSingleton(sp => new KeyService(
            sp.GetRequiredService<GatewayConfigStore>(), sp.GetRequiredService<KeyStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RateLimiter>();
        services.TryAddSingleton<BudgetTracker>();
        services.TryAddSingleton<Admission>();
        services.TryAddSingleton<UsageAccounting>();
        services.TryAddSingleton<FailoverExecutor>();
        services.TryAddSingleton<HedgedStart>();
        services.TryAddSingleton<StreamingFailover>();
        services.TryAddSingleton<CascadeExecutor>();
        services.TryAddSingleton(sp => new ChatGateway(
            sp.GetRequiredService<GatewayConfigStore>(),
            sp.GetRequiredService<Admission>(),
            sp.GetRequiredService<UsageAccounting>(),
            sp.GetRequiredService<FailoverExecutor>(),
            sp.GetRequiredService<StreamingFailover>(),
            sp.GetRequiredService<CascadeExecutor>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<GatewayLifetime>();
        return services;
    }
}
