namespace Mote.Cli.GatewayReport;

/// <summary>
/// The trade-off in numbers. Costs and agreement cover the questions both sides answered ("compared"), so that a
/// failure on one side does not flatter the other; latencies are means over each side's successful calls.
/// </summary>
internal sealed record ReportSummary
{
    public required int Questions { get; init; }
    public required int CascadeFailures { get; init; }
    public required int BigFailures { get; init; }
    public required int Compared { get; init; }
    public required int AnsweredByCheapTier { get; init; }

    /// <summary>Share of the cascade's answers that came from a cheaper tier, in percent of its successful answers.</summary>
    public required double CheapTierPercent { get; init; }

    public required double CascadeCostUsd { get; init; }
    public required double BigCostUsd { get; init; }
    public required double SavedUsd { get; init; }

    /// <summary>Saved in percent of the always-big cost (0 when that cost is 0).</summary>
    public required double SavedPercent { get; init; }

    public required int Agreements { get; init; }

    /// <summary>Agreements in percent of the compared questions.</summary>
    public required double AgreementPercent { get; init; }

    public double? CascadeMeanLatencyMs { get; init; }
    public double? BigMeanLatencyMs { get; init; }

    public static ReportSummary Of(IReadOnlyList<QuestionResult> rows)
    {
        var cascadeOk = rows.Where(r => r.Cascade.Ok).ToList();
        var bigOk = rows.Where(r => r.Big.Ok).ToList();
        var compared = rows.Where(r => r.Cascade.Ok && r.Big.Ok).ToList();
        var cheap = cascadeOk.Count(r => r.AnsweredByCheapTier);
        var cascadeCost = compared.Sum(r => r.Cascade.CostUsd);
        var bigCost = compared.Sum(r => r.Big.CostUsd);
        var agreements = compared.Count(r => r.Agrees == true);
        return new ReportSummary
        {
            Questions = rows.Count,
            CascadeFailures = rows.Count - cascadeOk.Count,
            BigFailures = rows.Count - bigOk.Count,
            Compared = compared.Count,
            AnsweredByCheapTier = cheap,
            CheapTierPercent = Percent(cheap, cascadeOk.Count),
            CascadeCostUsd = cascadeCost,
            BigCostUsd = bigCost,
            SavedUsd = bigCost - cascadeCost,
            SavedPercent = bigCost > 0 ? 100.0 * (bigCost - cascadeCost) / bigCost : 0,
            Agreements = agreements,
            AgreementPercent = Percent(agreements, compared.Count),
            CascadeMeanLatencyMs = cascadeOk.Count > 0 ? cascadeOk.Average(r => r.Cascade.LatencyMs) : null,
            BigMeanLatencyMs = bigOk.Count > 0 ? bigOk.Average(r => r.Big.LatencyMs) : null,
        };
    }

    private static double Percent(int part, int whole) => whole == 0 ? 0 : 100.0 * part / whole;
}
