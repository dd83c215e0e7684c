using System.Text;

namespace Mote.Server.Tests.Fakes;

/// <summary>One deployment on one fake provider, for <see cref="TestConfig.Build"/>.</summary>
internal sealed record Target(string Name, FakeUpstream Upstream, string Deployment = "", string Provider = "");

/// <summary>Writes gateway YAML for tests: a provider and a deployment per target, then routes and resilience.</summary>
internal static class TestConfig
{
    /// <summary>Retries that do not wait, budgets short enough that hung providers cost little time.</summary>
    public const string FastResilience =
        "resilience: { base_delay_ms: 1, max_delay_ms: 5, max_retries: 2, ttft_budget_ms: 3000, inter_token_budget_ms: 3000, timeout_ms: 5000 }";

    public static string Build(string routes, string resilience = FastResilience, string extra = "", params Target[] targets)
    {
        var yaml = new StringBuilder();
        yaml.Append("providers:\n");
        foreach (var t in targets)
            yaml.Append($"  p_{t.Name}: {{ type: openai-compatible, base_url: \"{t.Upstream.BaseUrl}\"{Comma(t.Provider)} }}\n");
        yaml.Append("deployments:\n");
        foreach (var t in targets)
            yaml.Append($"  {t.Name}: {{ provider: p_{t.Name}, model: model-{t.Name}{Comma(t.Deployment)} }}\n");
        yaml.Append("routes:\n");
        foreach (var line in routes.Split('\n'))
            yaml.Append("  ").Append(line).Append('\n');
        yaml.Append(resilience).Append('\n');
        yaml.Append(extra).Append('\n');
        return yaml.ToString();
    }

    private static string Comma(string extra) => extra.Length == 0 ? "" : ", " + extra;
}
