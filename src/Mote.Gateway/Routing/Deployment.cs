using Mote.Gateway.Configuration;
using Mote.Gateway.Providers;

namespace Mote.Gateway.Routing;

/// <summary>A compiled deployment: its configuration, its provider, its fully decorated client and live state.</summary>
internal sealed class Deployment
{
    public required string Name { get; init; }

    public required DeploymentConfig Config { get; init; }

    public required IProvider Provider { get; init; }

    /// <summary>The client wrapped in metering, health, retry and stream-guard decorators.</summary>
    public required IChatCompletionClient Client { get; init; }

    /// <summary>Health and load statistics; kept across configuration reloads.</summary>
    public required DeploymentState State { get; init; }

    /// <summary>The time-to-first-token budget of streams (infinite when unset); hedging starts at half of it.</summary>
    public TimeSpan FirstTokenBudget { get; init; } = Timeout.InfiniteTimeSpan;

    public string Model => Config.Model;

    public bool IsLocal => Provider.IsLocal;

    public bool SupportsPrefill => HasCapability(Capabilities.Prefill) ?? Provider.SupportsPrefill;

    public bool SupportsLogprobs => HasCapability(Capabilities.Logprobs) ?? true;

    /// <summary>The context window, or <see cref="int.MaxValue"/> when not configured.</summary>
    public int ContextLength => Config.ContextLength ?? int.MaxValue;

    public double Cost(int promptTokens, int completionTokens) =>
        (promptTokens * Config.InputPrice + completionTokens * Config.OutputPrice) / 1_000_000.0;

    private bool? HasCapability(string name)
    {
        if (Config.Capabilities is not { } capabilities)
            return null;
        foreach (var capability in capabilities)
            if (string.Equals(capability, name, StringComparison.OrdinalIgnoreCase))
                return true;
        // Capabilities are listed explicitly: absence is a "no" only for prefill, which silently misbehaves
        // (a new answer instead of a continuation) when assumed.
        return name == Capabilities.Prefill ? false : null;
    }

    public override string ToString() => Name;
}
