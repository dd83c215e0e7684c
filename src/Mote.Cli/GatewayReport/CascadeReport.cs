namespace Mote.Cli.GatewayReport;

/// <summary>What <c>mote gateway report</c> measured: one row per question, and the totals.</summary>
internal sealed record CascadeReport
{
    /// <summary>The cascade route measured.</summary>
    public required string Route { get; init; }

    /// <summary>The cascade's last tier (or <c>--big</c>), asked every question directly as the baseline.</summary>
    public required string Big { get; init; }

    public required IReadOnlyList<QuestionResult> Questions { get; init; }

    public required ReportSummary Summary { get; init; }
}
