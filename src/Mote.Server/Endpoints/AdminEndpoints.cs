using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Gateway.Configuration;
using Mote.Gateway.Keys;
using Mote.Gateway.Usage;
using Mote.Server.Http;

namespace Mote.Server.Endpoints;

/// <summary>
/// The admin API (master key only): create, list and revoke virtual keys, read spend and recent usage, reload the
/// configuration.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").AddEndpointFilter<MasterKeyFilter>();
        admin.MapPost("/keys", CreateKeyAsync);
        admin.MapGet("/keys", (KeyService keys) =>
            TypedResults.Json(new KeyList(keys.List().Select(View).ToList()), ServerJsonContext.Default.KeyList));
        admin.MapDelete("/keys/{id}", Results<JsonHttpResult<KeyView>, JsonHttpResult<ErrorResponse>> (string id, KeyService keys) =>
            keys.Revoke(id) && keys.Find(id) is { } key
                ? TypedResults.Json(View(key), ServerJsonContext.Default.KeyView)
                : NotFound($"No active key '{id}' created through the admin API."));
        admin.MapGet("/keys/{id}/spend", SpendOfKeyAsync);
        admin.MapGet("/spend", SpendAsync);
        admin.MapGet("/usage", async (UsageLedger ledger, int? limit, CancellationToken cancellationToken) =>
        {
            var rows = await ledger.RecentAsync(Math.Clamp(limit ?? 50, 1, 1000), cancellationToken);
            return TypedResults.Json(new UsageList(rows.Select(View).ToList()), ServerJsonContext.Default.UsageList);
        });
        admin.MapPost("/reload", (GatewayConfigStore store) =>
        {
            var ok = store.TryReload(out var errors);
            return TypedResults.Json(new ReloadResult(ok, errors), ServerJsonContext.Default.ReloadResult, statusCode: ok ? 200 : 400);
        });
        return endpoints;
    }

    private static async Task<IResult> CreateKeyAsync(HttpContext context, KeyService keys)
    {
        var spec = await RequestJson.ReadAsync(context.Request, ServerJsonContext.Default.VirtualKeySpec, context.RequestAborted);
        var (secret, key) = keys.Create(spec);
        return TypedResults.Json(new CreatedKey(secret, View(key)), ServerJsonContext.Default.CreatedKey, statusCode: 201);
    }

    private static async Task<IResult> SpendOfKeyAsync(string id, string? period, KeyService keys, UsageLedger ledger,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (keys.Find(id) is not { } key)
            return NotFound($"No key '{id}'.");
        var chosen = period ?? key.BudgetPeriod;
        if (!ConfigRules.BudgetPeriods.Contains(chosen))
            return TypedResults.Json(ErrorResponse.Create($"period must be one of {string.Join(", ", ConfigRules.BudgetPeriods)}.",
                ErrorTypes.InvalidRequest, null, "period"), MoteJsonContext.Default.ErrorResponse, statusCode: 400);
        var since = BudgetTracker.PeriodStart(chosen, time.GetUtcNow());
        var spend = await ledger.SpendAsync(key.Id, since, cancellationToken);
        return TypedResults.Json(Spend(key.Id, chosen, since, spend, key.BudgetUsd), ServerJsonContext.Default.SpendView);
    }

    private static async Task<IResult> SpendAsync(string? period, UsageLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        var chosen = period ?? "monthly";
        if (!ConfigRules.BudgetPeriods.Contains(chosen))
            return TypedResults.Json(ErrorResponse.Create($"period must be one of {string.Join(", ", ConfigRules.BudgetPeriods)}.",
                ErrorTypes.InvalidRequest, null, "period"), MoteJsonContext.Default.ErrorResponse, statusCode: 400);
        var since = BudgetTracker.PeriodStart(chosen, time.GetUtcNow());
        var spend = await ledger.SpendAsync(null, since, cancellationToken);
        return TypedResults.Json(Spend(null, chosen, since, spend, null), ServerJsonContext.Default.SpendView);
    }

    private static SpendView Spend(string? keyId, string period, long since, SpendSummary spend, double? budget) =>
        new(keyId, period, DateTimeOffset.FromUnixTimeMilliseconds(since), spend.CostUsd, spend.SavedUsd, budget,
            spend.Requests, spend.PromptTokens, spend.CompletionTokens);

    private static KeyView View(KeyPrincipal key) =>
        new(key.Id, key.Name, key.Prefix, key.Models?.ToList(), key.BudgetUsd, key.BudgetPeriod, key.Rpm, key.Tpm, key.LocalOnly,
            key.FromConfig, key.CreatedAt, key.RevokedAt);

    private static UsageRowView View(LedgerRow row) =>
        new(row.RequestId, DateTimeOffset.FromUnixTimeMilliseconds(row.TimestampMs), row.KeyId, row.Route, row.Deployment, row.Model,
            row.Attempts, row.Status, row.HttpStatus, row.Error, row.Stream, row.PromptTokens, row.CompletionTokens, row.CostUsd,
            row.SavedUsd, row.LatencyMs, row.TtftMs, row.Decision);

    private static JsonHttpResult<ErrorResponse> NotFound(string message) =>
        TypedResults.Json(ErrorResponse.Create(message, ErrorTypes.NotFound, "not_found"), MoteJsonContext.Default.ErrorResponse, statusCode: 404);
}
