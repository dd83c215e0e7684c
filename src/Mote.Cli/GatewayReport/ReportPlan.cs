using Mote.Gateway.Configuration;

namespace Mote.Cli.GatewayReport;

/// <summary>
/// The configuration a report runs: the user's file, checked to have the cascade route asked for, plus one extra
/// route (<see cref="BigRoute"/>) that sends a question straight to the big model — the cascade's last tier, or the
/// deployment named by <c>--big</c> — with the cascade route's deadline and local-only policy.
/// </summary>
internal sealed class ReportPlan
{
    private ReportPlan(GatewayConfig config, string route, string bigRoute, string bigName)
    {
        Config = config;
        Route = route;
        BigRoute = bigRoute;
        BigName = bigName;
    }

    public GatewayConfig Config { get; }

    public string Route { get; }

    /// <summary>The added route that always asks the big model.</summary>
    public string BigRoute { get; }

    /// <summary>How the big model is named in the report: a deployment, or a description of the last tier's node.</summary>
    public string BigName { get; }

    public static ReportPlan Create(GatewayConfig config, string route, string? big)
    {
        if (!config.Routes.TryGetValue(route, out var routeConfig))
        {
            var known = config.Routes.Count == 0 ? "it defines none" : "routes: " + string.Join(", ", config.Routes.Keys);
            throw new ReportException($"route '{route}' is not in the configuration ({known}).");
        }
        if (routeConfig.Cascade is not { } cascade)
            throw new ReportException($"route '{route}' is {Kind(routeConfig)}, not a cascade; `mote gateway report` measures cascades.");
        if (cascade.Tiers.Count < 2)
            throw new ReportException($"route '{route}': a cascade needs at least two tiers.");

        RouteNodeConfig bigNode;
        string bigName;
        if (big is not null)
        {
            if (!config.Deployments.ContainsKey(big))
                throw new ReportException($"--big: deployment '{big}' is not in the configuration (deployments: {string.Join(", ", config.Deployments.Keys)}).");
            bigNode = new RouteNodeConfig { Deployment = big };
            bigName = big;
        }
        else
        {
            bigNode = cascade.Tiers[^1];
            bigName = bigNode.Deployment ?? $"{Kind(bigNode)} (last tier)";
        }

        var bigRoute = "mote-report-big";
        for (var i = 2; config.Routes.ContainsKey(bigRoute); i++)
            bigRoute = $"mote-report-big-{i}";
        config.Routes[bigRoute] = new RouteConfig
        {
            Deployment = bigNode.Deployment,
            Balance = bigNode.Balance,
            Policy = bigNode.Policy,
            Fallback = bigNode.Fallback,
            Cascade = bigNode.Cascade,
            LocalOnly = routeConfig.LocalOnly,
            DeadlineMs = routeConfig.DeadlineMs,
            Description = $"mote gateway report: the big model of '{route}', asked directly",
        };
        return new ReportPlan(config, route, bigRoute, bigName);
    }

    /// <summary>USD for <paramref name="promptTokens"/> and <paramref name="completionTokens"/> at a deployment's prices.</summary>
    public double Cost(string deployment, int promptTokens, int completionTokens) =>
        Config.Deployments.TryGetValue(deployment, out var priced)
            ? (promptTokens * priced.InputPrice + completionTokens * priced.OutputPrice) / 1_000_000.0
            : 0;

    private static string Kind(RouteNodeConfig node) =>
        node.Deployment is { } deployment ? $"the single deployment '{deployment}'"
        : node.Balance is not null ? "a balance"
        : node.Fallback is not null ? "a fallback"
        : node.Cascade is not null ? "a cascade"
        : "empty";
}
