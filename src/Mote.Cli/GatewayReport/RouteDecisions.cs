using System.Globalization;

namespace Mote.Cli.GatewayReport;

/// <summary>
/// Reads the gateway's route header (<c>route=hybrid; deployment=big; attempts=…; tier1=cheap;
/// tier1_decision=escalate; tier1_mean_logprob=-1.2; …; answered_tier=2</c>) back into tier decisions.
/// </summary>
internal static class RouteDecisions
{
    public static (IReadOnlyList<TierDecision> Tiers, int? AnsweredTier) Parse(string? header)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (header ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                fields[part[..equals]] = part[(equals + 1)..];
        }

        var tiers = new List<TierDecision>();
        for (var tier = 1; fields.TryGetValue($"tier{tier}_decision", out var decision); tier++)
        {
            tiers.Add(new TierDecision(
                tier,
                fields.GetValueOrDefault($"tier{tier}"),
                decision,
                Number(fields.GetValueOrDefault($"tier{tier}_mean_logprob")),
                Number(fields.GetValueOrDefault($"tier{tier}_min_logprob")),
                fields.GetValueOrDefault($"tier{tier}_reason")));
        }
        int? answered = fields.TryGetValue("answered_tier", out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : null;
        return (tiers, answered);
    }

    private static double? Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
