namespace Mote.Gateway.Routing;

/// <summary>
/// Targets ordered per request by a policy; the ones not chosen first remain as fallbacks, so a balanced group
/// also fails over within itself.
/// </summary>
internal sealed class BalanceNode(IRouteNode[] children, IRoutingPolicy policy, double weight) : IRouteNode
{
    public double Weight => weight;

    public Deployment Representative => children[0].Representative;

    public IEnumerable<Deployment> Deployments => children.SelectMany(c => c.Deployments);

    public IRoutingPolicy Policy => policy;

    public void Collect(RoutingContext context, List<Deployment> candidates)
    {
        Span<int> order = children.Length <= 32 ? stackalloc int[children.Length] : new int[children.Length];
        policy.Order(children, context, order);
        foreach (var index in order)
            children[index].Collect(context, candidates);
    }
}
