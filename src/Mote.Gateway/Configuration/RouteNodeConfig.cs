namespace Mote.Gateway.Configuration;

/// <summary>
/// One node of a route: exactly one of <see cref="Deployment"/> (a single target), <see cref="Balance"/>
/// (spread load over targets by a policy), <see cref="Fallback"/> (try in order) or <see cref="Cascade"/>
/// (cheap tier first, escalate when its answer looks weak). A bare string is shorthand for a deployment.
/// </summary>
public record RouteNodeConfig
{
    public string? Deployment { get; set; }

    public List<RouteNodeConfig>? Balance { get; set; }

    /// <summary>For <see cref="Balance"/>: <c>weighted</c>, <c>least-busy</c>, <c>lowest-latency</c>, <c>lowest-cost</c>.</summary>
    public string? Policy { get; set; }

    /// <summary>This node's share when it is a target of a <c>weighted</c> balance.</summary>
    public double? Weight { get; set; }

    public List<RouteNodeConfig>? Fallback { get; set; }

    public CascadeConfig? Cascade { get; set; }
}
