namespace Mote.Gateway.Routing;

/// <summary>Targets tried in the configured order.</summary>
internal sealed class FallbackNode(IRouteNode[] children, double weight) : IRouteNode
{
    public double Weight => weight;

    public Deployment Representative => children[0].Representative;

    public IEnumerable<Deployment> Deployments => children.SelectMany(c => c.Deployments);

    public void Collect(RoutingContext context, List<Deployment> candidates)
    {
        foreach (var child in children)
            child.Collect(context, candidates);
    }
}
