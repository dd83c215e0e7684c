namespace Mote.Server.Endpoints;

// Bodies of the admin API (snake_case JSON through ServerJsonContext).

/// <summary>A key as listed (never its secret).</summary>
internal sealed record KeyView(
    string Id, string Name, string? Prefix, IReadOnlyCollection<string>? Models, double? BudgetUsd, string BudgetPeriod,
    int? Rpm, int? Tpm, bool LocalOnly, bool FromConfig, DateTimeOffset? CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The answer to a key creation: the secret, shown this once.</summary>
internal sealed record CreatedKey(string Key, KeyView Info);

internal sealed record KeyList(IReadOnlyList<KeyView> Data);

internal sealed record SpendView(
    string? KeyId, string Period, DateTimeOffset Since, double SpendUsd, double SavedUsd, double? BudgetUsd,
    long Requests, long PromptTokens, long CompletionTokens);

internal sealed record UsageRowView(
    string RequestId, DateTimeOffset Time, string? KeyId, string Route, string? Deployment, string? Model, string Attempts,
    string Status, int HttpStatus, string? Error, bool Stream, int PromptTokens, int CompletionTokens, double CostUsd,
    double SavedUsd, double LatencyMs, double? TtftMs, string? Decision);

internal sealed record UsageList(IReadOnlyList<UsageRowView> Data);

internal sealed record ReloadResult(bool Reloaded, IReadOnlyList<string> Errors);

internal sealed record HealthStatus(string Status);
