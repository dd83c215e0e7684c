using Mote.Contracts;

namespace Mote.Gateway.Routing;

/// <summary>Turns a route node into the ordered, filtered list of deployments one request will try.</summary>
internal static class CandidatePlanner
{
    public static List<Deployment> Plan(IRouteNode node, RoutingContext context, bool localOnly)
    {
        var all = new List<Deployment>(4);
        node.Collect(context, all);
        var request = context.Request;
        var wantsTools = request.Tools is { Count: > 0 };
        var wantsJson = request.ResponseFormat?.WantsJson == true;
        var candidates = new List<Deployment>(all.Count);
        foreach (var deployment in all)
        {
            if (candidates.Contains(deployment))
                continue;
            if (localOnly && !deployment.IsLocal)
                continue;
            if (wantsTools && Lacks(deployment, Capabilities.Tools))
                continue;
            if (wantsJson && Lacks(deployment, Capabilities.Json))
                continue;
            candidates.Add(deployment);
        }
        return candidates;
    }

    /// <summary>Why <see cref="Plan"/> came back empty, for the error message.</summary>
    public static GatewayException WhyEmpty(Route route, IRouteNode node, RoutingContext context, bool localOnly, string localOnlyReason)
    {
        if (localOnly && !node.Deployments.Any(d => d.IsLocal))
            return GatewayErrors.LocalOnly(route.Name, localOnlyReason);
        if (context.Request.Tools is { Count: > 0 })
            return GatewayErrors.Unsupported(route.Name, "tools");
        if (context.Request.ResponseFormat?.WantsJson == true)
            return GatewayErrors.Unsupported(route.Name, "JSON output");
        return GatewayErrors.LocalOnly(route.Name, localOnlyReason);
    }

    /// <summary>Only deployments that list capabilities can lack one; an empty list claims nothing.</summary>
    private static bool Lacks(Deployment deployment, string capability) =>
        deployment.Config.Capabilities is { Count: > 0 } listed
        && !listed.Contains(capability, StringComparer.OrdinalIgnoreCase);
}
