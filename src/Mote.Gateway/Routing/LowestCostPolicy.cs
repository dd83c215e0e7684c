namespace Mote.Gateway.Routing;

/// <summary>Cheapest expected cost for this request first (prompt estimate and the completion limit, or 256).</summary>
internal sealed class LowestCostPolicy : IRoutingPolicy
{
    private const int DefaultCompletionTokens = 256;

    public string Name => "lowest-cost";

    public void Order(IReadOnlyList<IRouteNode> targets, RoutingContext context, Span<int> order)
    {
        var prompt = context.EstimatedPromptTokens;
        var completion = context.Request.EffectiveMaxTokens ?? DefaultCompletionTokens;
        PolicyOrdering.ByKey(targets, order, node => node.Representative.Cost(prompt, completion));
    }
}
