namespace Mote.Gateway.Usage;

/// <summary>One row of the usage ledger: one client request.</summary>
internal sealed record LedgerRow
{
    public required string RequestId { get; init; }
    public required long TimestampMs { get; init; }
    public string? KeyId { get; init; }
    public required string Route { get; init; }
    public string? Deployment { get; init; }
    public string? Model { get; init; }
    public required string Attempts { get; init; }
    public required string Status { get; init; }
    public required int HttpStatus { get; init; }
    public string? Error { get; init; }
    public bool Stream { get; init; }
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public double CostUsd { get; init; }
    public double SavedUsd { get; init; }
    public double LatencyMs { get; init; }
    public double? TtftMs { get; init; }
    public string? Decision { get; init; }
}
