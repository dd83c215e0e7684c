namespace Mote.Gateway.Routing;

/// <summary>
/// One node of a compiled route. A node only orders deployments; trying them, retrying, cooling down and
/// failing over are done around the calls, never inside the router.
/// </summary>
internal interface IRouteNode
{
    /// <summary>This node's share inside a weighted balance.</summary>
    double Weight { get; }

    /// <summary>The deployment that stands for this subtree when a policy compares targets.</summary>
    Deployment Representative { get; }

    /// <summary>Appends this subtree's deployments in the order this request should try them.</summary>
    void Collect(RoutingContext context, List<Deployment> candidates);

    /// <summary>Every deployment in the subtree, in configuration order.</summary>
    IEnumerable<Deployment> Deployments { get; }
}
