using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Keys;

/// <summary>
/// The per-key checks in front of routing — allowed models, budget, requests and tokens per minute — and the
/// bookkeeping after a request. A separate step, never a branch inside the router.
/// </summary>
internal sealed class Admission(RateLimiter limiter, BudgetTracker budgets)
{
    public async ValueTask AdmitAsync(GatewayCall call, Route route, CancellationToken cancellationToken)
    {
        if (call.Key is not { IsMaster: false } key)
            return;
        if (key.Models is { } allowed && !allowed.Contains(route.Name))
            throw GatewayErrors.ModelNotAllowed(route.Name, key.Name);
        if (key.BudgetUsd is { } budget)
        {
            var spent = await budgets.SpentAsync(key, cancellationToken).ConfigureAwait(false);
            if (spent >= budget)
                throw GatewayErrors.BudgetExceeded(key.Name, spent, budget, key.BudgetPeriod);
        }
        if (!limiter.TryAcquire(key, out var retryAfter, out var what))
            throw GatewayErrors.RateLimited($"key '{key.Name}' allows {what}", retryAfter);
    }

    public void Complete(GatewayCall call, CallRecord record)
    {
        if (call.Key is not { IsMaster: false } key)
            return;
        limiter.AddTokens(key.Id, record.PromptTokens + record.CompletionTokens);
        budgets.Add(key, record.Cost);
    }
}
