using Mote.Gateway.Routing;

namespace Mote.Gateway.Configuration;

/// <summary>Value checks on configuration sections that need no compilation.</summary>
internal static class ConfigRules
{
    public static readonly string[] BudgetPeriods = ["daily", "weekly", "monthly", "total"];

    public static void CheckResilience(ResilienceConfig r, List<string> errors)
    {
        Check(r.MaxRetries >= 0 && r.MaxRetries <= 20, "resilience.max_retries: must be between 0 and 20.");
        Check(r.BaseDelayMs >= 0, "resilience.base_delay_ms: must not be negative.");
        Check(r.MaxDelayMs > 0, "resilience.max_delay_ms: must be positive.");
        Check(r.MaxRetryAfterMs >= 0, "resilience.max_retry_after_ms: must not be negative.");
        Check(r.FailureThreshold >= 1, "resilience.failure_threshold: must be at least 1.");
        Check(r.CooldownMs >= 0, "resilience.cooldown_ms: must not be negative.");
        Check(r.MaxCooldownMs >= 0, "resilience.max_cooldown_ms: must not be negative.");
        Check(r.ReadinessIntervalMs >= 0, "resilience.readiness_interval_ms: must not be negative.");

        void Check(bool ok, string message)
        {
            if (!ok)
                errors.Add(message);
        }
    }

    public static List<string> CheckDeployment(DeploymentConfig d)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(d.Provider))
            problems.Add("'provider' is required.");
        if (string.IsNullOrWhiteSpace(d.Model))
            problems.Add("'model' is required.");
        if (d.InputPrice < 0 || d.OutputPrice < 0 || !double.IsFinite(d.InputPrice) || !double.IsFinite(d.OutputPrice))
            problems.Add("prices must be non-negative numbers (USD per million tokens).");
        if (d.ContextLength is <= 0)
            problems.Add("context_length must be positive.");
        if (d.TtftBudgetMs is < 0 || d.InterTokenBudgetMs is < 0 || d.TimeoutMs is < 0)
            problems.Add("time budgets must not be negative (0 means no limit).");
        if (d.MaxRetries is < 0 or > 20)
            problems.Add("max_retries must be between 0 and 20.");
        foreach (var capability in d.Capabilities ?? [])
            if (!Capabilities.Known.Contains(capability))
                problems.Add($"unknown capability '{capability}'; known: {string.Join(", ", Capabilities.Known.Order())}.");
        return problems;
    }

    public static void CheckKeys(GatewayConfig config, List<string> errors)
    {
        if (config.Keys is not { } keys)
            return;
        if (keys.MasterKeyEnv is { } masterEnv && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(masterEnv)))
            errors.Add($"keys.master_key_env: environment variable {masterEnv} is not set.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (keys.Virtual?.Count ?? 0); i++)
        {
            var key = keys.Virtual![i];
            var path = $"keys.virtual[{i}]";
            if (string.IsNullOrWhiteSpace(key.Name))
                errors.Add($"{path}.name: is required.");
            else if (!names.Add(key.Name))
                errors.Add($"{path}.name: '{key.Name}' is declared twice.");
            if ((key.KeyEnv is null) == (key.KeySha256 is null))
                errors.Add($"{path}: give exactly one of 'key_env' and 'key_sha256'.");
            if (key.KeyEnv is { } env && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(env)))
                errors.Add($"{path}.key_env: environment variable {env} is not set.");
            if (key.KeySha256 is { } hash && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)))
                errors.Add($"{path}.key_sha256: must be 64 hexadecimal digits.");
            if (key.BudgetUsd is < 0)
                errors.Add($"{path}.budget_usd: must not be negative.");
            if (key.BudgetPeriod is { } period && !BudgetPeriods.Contains(period))
                errors.Add($"{path}.budget_period: '{period}' is not one of {string.Join(", ", BudgetPeriods)}.");
            if (key.Rpm is <= 0 || key.Tpm is <= 0)
                errors.Add($"{path}: rpm and tpm must be positive when given.");
            foreach (var model in key.Models ?? [])
                if (!config.Routes.ContainsKey(model) && !(config.AllowDirect && model.Contains('/', StringComparison.Ordinal)))
                    errors.Add($"{path}.models: '{model}' is not a route{(config.AllowDirect ? " or provider/model" : "")}.");
        }
    }
}
