namespace Mote.Gateway.Configuration;

/// <summary>Gateway-wide defaults for retries, health and time limits; deployments and routes may override.</summary>
public sealed record ResilienceConfig
{
    /// <summary>Retries on the same deployment after a transient failure (0 disables).</summary>
    public int MaxRetries { get; set; } = 2;

    public int BaseDelayMs { get; set; } = 250;

    public int MaxDelayMs { get; set; } = 8_000;

    /// <summary>A Retry-After longer than this is not waited for; the request moves to another deployment.</summary>
    public int MaxRetryAfterMs { get; set; } = 20_000;

    /// <summary>Consecutive failures that open a deployment's circuit.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long an open circuit rejects traffic before a half-open probe; doubles on each failed probe.</summary>
    public int CooldownMs { get; set; } = 30_000;

    public int MaxCooldownMs { get; set; } = 300_000;

    /// <summary>Default time limit of a non-streamed upstream call.</summary>
    public int TimeoutMs { get; set; } = 600_000;

    /// <summary>Default time-to-first-token budget for streams.</summary>
    public int TtftBudgetMs { get; set; } = 60_000;

    /// <summary>Default longest silence within a stream.</summary>
    public int InterTokenBudgetMs { get; set; } = 60_000;

    /// <summary>Default overall time limit of one client request.</summary>
    public int DeadlineMs { get; set; } = 900_000;

    /// <summary>How often a backend that was not ready is probed again.</summary>
    public int ReadinessIntervalMs { get; set; } = 2_000;
}
