using System.Collections.Concurrent;
using System.Collections.Frozen;
using Mote.Gateway.Configuration;
using Mote.Gateway.Providers;

namespace Mote.Gateway.Routing;

/// <summary>
/// One compiled, validated configuration: providers, decorated deployments and routes. Immutable; a reload
/// builds a new one and swaps it in atomically, so a request sees one consistent configuration throughout.
/// </summary>
internal sealed class GatewayRuntime
{
    private const int MaxDirectRoutes = 1024;
    private readonly ConcurrentDictionary<string, Route?> _direct = new(StringComparer.Ordinal);

    public required GatewayConfig Config { get; init; }

    public required string Source { get; init; }

    public required string BaseDirectory { get; init; }

    public required FrozenDictionary<string, IProvider> Providers { get; init; }

    public required FrozenDictionary<string, Deployment> Deployments { get; init; }

    public required FrozenDictionary<string, Route> Routes { get; init; }

    /// <summary>Builds a deployment for <c>provider/model</c> addressing; null when not allowed.</summary>
    public Func<string, string, Deployment?>? DirectFactory { get; init; }

    /// <summary>The route for a client's <c>model</c>, or null when there is none.</summary>
    public Route? Resolve(string model)
    {
        if (Routes.TryGetValue(model, out var route))
            return route;
        if (DirectFactory is null || !Config.AllowDirect)
            return null;
        if (_direct.TryGetValue(model, out route))
            return route;
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == model.Length - 1)
            return null;
        var deployment = DirectFactory(model[..slash], model[(slash + 1)..]);
        route = deployment is null ? null : new Route
        {
            Name = model,
            Target = new DeploymentNode(deployment, 1),
            IsDirect = true,
            Deadline = TimeSpan.FromMilliseconds(Config.Resilience.DeadlineMs),
        };
        if (_direct.Count < MaxDirectRoutes)
            _direct.TryAdd(model, route);
        return route;
    }
}
