namespace Mote.Gateway.Configuration;

/// <summary>
/// The gateway configuration file (JSON or YAML, snake_case keys): providers, deployments, routes, keys and
/// policies. See docs/gateway.md for a complete example.
/// </summary>
public sealed record GatewayConfig
{
    public ServerConfig? Server { get; set; }

    /// <summary>Providers by name: where and how to call an API.</summary>
    public Dictionary<string, ProviderConfig> Providers { get; set; } = [];

    /// <summary>Deployments by name: a provider plus a model, with prices, limits and budgets.</summary>
    public Dictionary<string, DeploymentConfig> Deployments { get; set; } = [];

    /// <summary>Routes by public model name: what a client's <c>model</c> resolves to.</summary>
    public Dictionary<string, RouteConfig> Routes { get; set; } = [];

    public KeysConfig? Keys { get; set; }

    public ResilienceConfig Resilience { get; set; } = new();

    public UsageConfig Usage { get; set; } = new();

    /// <summary>Lets a client address <c>provider/model</c> directly, bypassing routes.</summary>
    public bool AllowDirect { get; set; }
}
