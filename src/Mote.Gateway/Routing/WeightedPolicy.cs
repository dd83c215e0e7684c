namespace Mote.Gateway.Routing;

/// <summary>
/// Random order, each target drawn with probability proportional to its weight (weighted sampling without
/// replacement: sort by <c>u^(1/w)</c>, Efraimidis–Spirakis).
/// </summary>
internal sealed class WeightedPolicy : IRoutingPolicy
{
    public string Name => "weighted";

    public void Order(IReadOnlyList<IRouteNode> targets, RoutingContext context, Span<int> order)
    {
        Span<double> keys = targets.Count <= 32 ? stackalloc double[targets.Count] : new double[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            order[i] = i;
            keys[i] = Math.Pow(context.Random.NextDouble(), 1.0 / targets[i].Weight);
        }
        // Descending by key; the arrays are tiny.
        keys.Sort(order, static (a, b) => b.CompareTo(a));
    }
}
