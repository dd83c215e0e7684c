namespace Mote.Gateway.Routing;

/// <summary>
/// Lowest moving average of time to first token first. A target without samples sorts first so that it gets
/// measured.
/// </summary>
internal sealed class LowestLatencyPolicy : IRoutingPolicy
{
    public string Name => "lowest-latency";

    public void Order(IReadOnlyList<IRouteNode> targets, RoutingContext context, Span<int> order) =>
        PolicyOrdering.ByKey(targets, order, static node =>
        {
            var ttft = node.Representative.State.EwmaTtftMs;
            return double.IsNaN(ttft) ? -1 : ttft;
        });
}
