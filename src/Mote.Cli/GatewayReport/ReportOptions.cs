namespace Mote.Cli.GatewayReport;

/// <summary>What <c>mote gateway report</c> was asked to measure.</summary>
internal sealed record ReportOptions
{
    public required string ConfigPath { get; init; }

    /// <summary>The cascade route to measure.</summary>
    public required string Route { get; init; }

    public required string QuestionsPath { get; init; }

    /// <summary>The deployment to compare with; default the cascade's last tier.</summary>
    public string? Big { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>
    /// Sampling temperature of every request. Default 0: as deterministic as the provider allows, so that the big
    /// model agrees with itself and an escalated answer counts as agreeing. Null sends none (the provider's default).
    /// </summary>
    public double? Temperature { get; init; } = 0;

    public bool Json { get; init; }
}
