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

/// <summary>One question sent to the cascade and to the big model.</summary>
internal sealed record QuestionResult
{
    public required int Index { get; init; }

    /// <summary>The line of the questions file.</summary>
    public required int Line { get; init; }

    public required string Question { get; init; }

    public required CallOutcome Cascade { get; init; }

    public required CallOutcome Big { get; init; }

    /// <summary>The cascade tier that answered (1 = the cheapest), as the gateway decided.</summary>
    public int? AnsweredTier { get; init; }

    /// <summary>True when a judged (cheaper) tier's answer was accepted.</summary>
    public bool AnsweredByCheapTier { get; init; }

    /// <summary>The judgement of each tier before the one that answered.</summary>
    public IReadOnlyList<TierDecision> Decisions { get; init; } = [];

    /// <summary>Normalized exact match of the two answers; null unless both answered.</summary>
    public bool? Agrees { get; init; }
}

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

/// <summary>Tokens a deployment consumed for one request, priced at the deployment's configured USD per 1M tokens.</summary>
internal sealed record DeploymentUsage(string Deployment, int PromptTokens, int CompletionTokens, double CostUsd);

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
