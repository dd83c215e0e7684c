namespace Mote.Gateway.Routing;

/// <summary>Fewest requests in flight first; ties keep configuration order.</summary>
internal sealed class LeastBusyPolicy : IRoutingPolicy
{
    public string Name => "least-busy";

    public void Order(IReadOnlyList<IRouteNode> targets, RoutingContext context, Span<int> order) =>
        PolicyOrdering.ByKey(targets, order, static node => node.Representative.State.InFlight);
}
