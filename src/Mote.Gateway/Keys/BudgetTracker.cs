using System.Collections.Concurrent;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Keys;

/// <summary>
/// USD spend per key in its current budget period. Seeded once per period from the ledger (so a restart keeps
/// counting), then kept in memory as requests finish.
/// </summary>
internal sealed class BudgetTracker(UsageLedger ledger, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Spend> _spend = new(StringComparer.Ordinal);

    public async ValueTask<double> SpentAsync(KeyPrincipal key, CancellationToken cancellationToken)
    {
        var start = PeriodStart(key.BudgetPeriod, time.GetUtcNow());
        if (_spend.TryGetValue(key.Id, out var spend) && spend.PeriodStartMs == start)
            return spend.Amount;
        var summary = await ledger.SpendAsync(key.Id, start, cancellationToken).ConfigureAwait(false);
        spend = _spend.AddOrUpdate(key.Id,
            _ => new Spend(start, summary.CostUsd),
            (_, old) => old.PeriodStartMs == start ? old : new Spend(start, summary.CostUsd));
        return spend.Amount;
    }

    public void Add(KeyPrincipal key, double cost)
    {
        if (cost <= 0 || key.BudgetUsd is null)
            return;
        var start = PeriodStart(key.BudgetPeriod, time.GetUtcNow());
        _spend.AddOrUpdate(key.Id,
            _ => new Spend(start, cost),
            (_, old) => old.PeriodStartMs == start ? old with { Amount = old.Amount + cost } : new Spend(start, cost));
    }

    /// <summary>Start of the period containing <paramref name="now"/> as Unix ms (UTC calendar; weeks start Monday).</summary>
    public static long PeriodStart(string period, DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return period switch
        {
            "daily" => day.ToUnixTimeMilliseconds(),
            "weekly" => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)).ToUnixTimeMilliseconds(),
            "total" => 0,
            _ => new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        };
    }

    private sealed record Spend(long PeriodStartMs, double Amount);
}
