namespace Mote.Gateway.Configuration;

/// <summary>
/// Tiers tried cheapest first. Every tier but the last is judged by its own token log-probabilities (and, when
/// JSON was asked for, by whether its answer parses); a weak answer escalates to the next tier.
/// </summary>
public sealed record CascadeConfig
{
    public List<RouteNodeConfig> Tiers { get; set; } = [];

    /// <summary>Accept only when the mean token log-probability is at least this (e.g. -0.5).</summary>
    public double? MinMeanLogprob { get; set; }

    /// <summary>Accept only when no token's log-probability is below this (e.g. -6).</summary>
    public double? MinTokenLogprob { get; set; }

    /// <summary>When the client asked for JSON, escalate answers that do not parse. Default true.</summary>
    public bool CheckJson { get; set; } = true;

    /// <summary>Escalate when a tier returned no log-probabilities (true), or accept it unjudged (false).</summary>
    public bool EscalateWithoutLogprobs { get; set; } = true;
}
