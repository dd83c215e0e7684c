using Mote.Gateway.Configuration;

namespace Mote.Gateway.Routing;

/// <summary>A compiled public model name: a node tree (or a cascade) plus route-wide policy.</summary>
internal sealed class Route
{
    public required string Name { get; init; }

    /// <summary>The node tree; null for a cascade route.</summary>
    public IRouteNode? Target { get; init; }

    /// <summary>The cascade tiers and judge; null for an ordinary route.</summary>
    public CascadePlan? Cascade { get; init; }

    public bool LocalOnly { get; init; }

    /// <summary>The deployment whose prices value local answers ("saved"); null when none.</summary>
    public Deployment? Reference { get; init; }

    public int StreamBufferChars { get; init; }

    public bool Hedge { get; init; }

    public TimeSpan Deadline { get; init; }

    /// <summary>True for a <c>provider/model</c> route made on demand for direct addressing.</summary>
    public bool IsDirect { get; init; }

    public IEnumerable<Deployment> Deployments =>
        Target?.Deployments ?? Cascade!.Tiers.SelectMany(t => t.Deployments);
}
