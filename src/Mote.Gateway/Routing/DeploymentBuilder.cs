using Microsoft.Extensions.Logging;
using Mote.Gateway.Configuration;
using Mote.Gateway.Providers;
using Mote.Gateway.Resilience;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Routing;

/// <summary>
/// Wraps a provider's raw client in the resilience decorators, outermost first:
/// metering → health (circuit, readiness) → retry → stream guard (budgets, integrity) → adapter.
/// </summary>
internal sealed class DeploymentBuilder(
    DeploymentStateRegistry states, GatewayMetrics metrics, TimeProvider time, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Mote.Gateway.Resilience");

    public Deployment? Build(string name, DeploymentConfig config, IProvider provider, ResilienceConfig resilience, ICollection<string> errors)
    {
        var raw = provider.CreateClient(config.Model, errors);
        if (raw is null)
            return null;

        var circuit = new CircuitOptions(
            Math.Max(1, resilience.FailureThreshold),
            TimeSpan.FromMilliseconds(Math.Max(0, resilience.CooldownMs)),
            TimeSpan.FromMilliseconds(Math.Max(resilience.MaxCooldownMs, resilience.CooldownMs)));
        var state = states.GetOrCreate(name, circuit);

        var budgets = new StreamBudgets(
            Milliseconds(config.TtftBudgetMs ?? resilience.TtftBudgetMs),
            Milliseconds(config.InterTokenBudgetMs ?? resilience.InterTokenBudgetMs),
            Milliseconds(config.TimeoutMs ?? resilience.TimeoutMs));
        IChatCompletionClient client = new StreamGuardClient(raw, budgets, time, name);

        var retries = config.MaxRetries ?? resilience.MaxRetries;
        if (retries > 0)
        {
            var settings = new RetrySettings(retries,
                TimeSpan.FromMilliseconds(Math.Max(0, resilience.BaseDelayMs)),
                TimeSpan.FromMilliseconds(Math.Max(1, resilience.MaxDelayMs)),
                TimeSpan.FromMilliseconds(Math.Max(0, resilience.MaxRetryAfterMs)));
            client = new RetryingClient(client, settings, time, _logger, name);
        }

        var readiness = raw is IReadinessProbe probe
            ? new ReadinessGate(probe, Milliseconds(resilience.ReadinessIntervalMs), time)
            : null;
        client = new HealthGuardClient(client, state.Circuit, readiness, name);
        client = new MeteredClient(client, state, metrics, time, name);

        return new Deployment { Name = name, Config = config, Provider = provider, Client = client, State = state, FirstTokenBudget = budgets.FirstToken };
    }

    /// <summary>Milliseconds from the file; zero or less means "no limit".</summary>
    private static TimeSpan Milliseconds(int value) =>
        value <= 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(value);
}
