namespace Mote.Cli.GatewayReport;

/// <summary>One request through the gateway: its answer or error, tokens and cost per deployment, latency.</summary>
internal sealed record CallOutcome
{
    public bool Ok => Error is null;

    /// <summary>The deployment whose answer came back.</summary>
    public string? Deployment { get; init; }

    public string? Answer { get; init; }

    public string? Error { get; init; }

    public int? ErrorStatus { get; init; }

    /// <summary>Every deployment that consumed tokens for this request (a cascade's escalation costs both tiers).</summary>
    public IReadOnlyList<DeploymentUsage> Usage { get; init; } = [];

    public double CostUsd => Usage.Sum(u => u.CostUsd);

    public double LatencyMs { get; init; }
}
