namespace Mote.Gateway.Usage;

/// <summary>What a key (or everyone) spent since a point in time.</summary>
public sealed record SpendSummary(double CostUsd, double SavedUsd, long Requests, long PromptTokens, long CompletionTokens);
