namespace Mote.Gateway.Routing;

/// <summary>
/// Orders the targets of a balanced group for one request. Implementations are registered once and chosen by
/// <see cref="Name"/> from the configuration.
/// </summary>
internal interface IRoutingPolicy
{
    string Name { get; }

    /// <summary>Writes a permutation of <c>0..targets.Count-1</c> into <paramref name="order"/>, best first.</summary>
    void Order(IReadOnlyList<IRouteNode> targets, RoutingContext context, Span<int> order);
}
