using System.Collections.Frozen;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Configuration;

/// <summary>Compiles route node trees, reporting problems by path.</summary>
internal sealed class RouteCompiler(
    IReadOnlyDictionary<string, Deployment> deployments,
    IReadOnlyDictionary<string, DeploymentConfig> declared,
    FrozenDictionary<string, IRoutingPolicy> policies,
    ResilienceConfig resilience,
    List<string> errors)
{
    public Route? Compile(string name, RouteConfig route)
    {
        var path = $"routes.{name}";
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(name))
            errors.Add("routes: a route name must not be empty.");
        if (route.StreamBufferChars is < 0)
            errors.Add($"{path}.stream_buffer_chars: must not be negative.");
        if (route.DeadlineMs is < 0)
            errors.Add($"{path}.deadline_ms: must not be negative.");

        Deployment? reference = null;
        if (route.Reference is { } referenceName && !deployments.TryGetValue(referenceName, out reference))
            errors.Add($"{path}.reference: deployment '{referenceName}' is not defined.");

        IRouteNode? target = null;
        CascadePlan? cascade = null;
        if (route.Cascade is { } cascadeConfig && CountKinds(route) == 1)
            cascade = CompileCascade(cascadeConfig, $"{path}.cascade");
        else
            target = CompileNode(route, path, 1);

        if (errors.Count > before)
            return null;
        // A cascade's natural reference is the big model it escalates to.
        reference ??= cascade?.Tiers[^1].Representative;
        return new Route
        {
            Name = name,
            Target = target,
            Cascade = cascade,
            LocalOnly = route.LocalOnly,
            Reference = reference,
            StreamBufferChars = route.StreamBufferChars ?? 0,
            Hedge = route.Hedge,
            Deadline = TimeSpan.FromMilliseconds(route.DeadlineMs is > 0 ? route.DeadlineMs.Value : resilience.DeadlineMs),
        };
    }

    private IRouteNode? CompileNode(RouteNodeConfig node, string path, double defaultWeight)
    {
        var weight = node.Weight ?? defaultWeight;
        if (weight <= 0 || !double.IsFinite(weight))
            errors.Add($"{path}.weight: must be a positive number.");

        var kinds = CountKinds(node);
        if (kinds != 1)
        {
            errors.Add(kinds == 0
                ? $"{path}: needs one of 'deployment', 'balance', 'fallback' or 'cascade'."
                : $"{path}: has more than one of 'deployment', 'balance', 'fallback', 'cascade'; a node is exactly one.");
            return null;
        }

        if (node.Deployment is { } name)
        {
            if (deployments.TryGetValue(name, out var deployment))
                return new DeploymentNode(deployment, weight);
            if (!declared.ContainsKey(name))
                errors.Add($"{path}.deployment: deployment '{name}' is not defined.");
            return null;
        }
        if (node.Cascade is not null)
        {
            errors.Add($"{path}.cascade: a cascade must be the whole route, not nested inside another node.");
            return null;
        }
        if (node.Balance is { } balance)
        {
            if (node.Policy is not null && !policies.ContainsKey(node.Policy))
                errors.Add($"{path}.policy: unknown policy '{node.Policy}'; expected one of: {string.Join(", ", policies.Keys.Order())}.");
            var children = CompileList(balance, $"{path}.balance");
            return children is null || !policies.TryGetValue(node.Policy ?? "weighted", out var policy)
                ? null
                : new BalanceNode(children, policy, weight);
        }
        if (node.Policy is not null)
            errors.Add($"{path}.policy: 'policy' applies to a 'balance' node only.");
        var fallback = CompileList(node.Fallback!, $"{path}.fallback");
        return fallback is null ? null : new FallbackNode(fallback, weight);
    }

    private IRouteNode[]? CompileList(List<RouteNodeConfig> nodes, string path)
    {
        if (nodes.Count == 0)
        {
            errors.Add($"{path}: must list at least one target.");
            return null;
        }
        var compiled = new IRouteNode[nodes.Count];
        var ok = true;
        for (var i = 0; i < nodes.Count; i++)
        {
            var child = nodes[i] is null ? null : CompileNode(nodes[i], $"{path}[{i}]", 1);
            if (nodes[i] is null)
                errors.Add($"{path}[{i}]: must not be empty.");
            ok &= child is not null;
            compiled[i] = child!;
        }
        return ok ? compiled : null;
    }

    private CascadePlan? CompileCascade(CascadeConfig cascade, string path)
    {
        if (cascade.Tiers.Count < 2)
            errors.Add($"{path}.tiers: a cascade needs at least two tiers.");
        if (cascade.MinMeanLogprob is > 0)
            errors.Add($"{path}.min_mean_logprob: log-probabilities are at most 0.");
        if (cascade.MinTokenLogprob is > 0)
            errors.Add($"{path}.min_token_logprob: log-probabilities are at most 0.");
        var tiers = CompileList(cascade.Tiers, $"{path}.tiers");
        return tiers is null || cascade.Tiers.Count < 2 ? null : new CascadePlan(tiers, cascade);
    }

    private static int CountKinds(RouteNodeConfig node) =>
        (node.Deployment is null ? 0 : 1) + (node.Balance is null ? 0 : 1)
        + (node.Fallback is null ? 0 : 1) + (node.Cascade is null ? 0 : 1);
}
