using Mote.Gateway.Keys;

namespace Mote.Gateway.Usage;

/// <summary>Closes a request's books: metrics per attempt, key limits and budget, and the durable ledger row.</summary>
internal sealed class UsageAccounting(UsageLedger ledger, GatewayMetrics metrics, Admission admission, TimeProvider time)
{
    public Task CompleteAsync(GatewayCall call, CallRecord record)
    {
        record.LatencyMs = time.GetElapsedTime(record.StartTimestamp).TotalMilliseconds;
        foreach (var attempt in record.Attempts)
            if (attempt.PromptTokens + attempt.CompletionTokens > 0)
                metrics.Consumed(attempt.Deployment.Name, attempt.PromptTokens, attempt.CompletionTokens, attempt.Cost, attempt.Saved);
        admission.Complete(call, record);
        return ledger.AppendAsync(new LedgerRow
        {
            RequestId = record.RequestId,
            TimestampMs = record.StartedAt.ToUnixTimeMilliseconds(),
            KeyId = record.KeyId,
            Route = record.Route,
            Deployment = record.AnsweredBy?.Name,
            Model = record.AnsweredBy?.Model,
            Attempts = record.AttemptSummary,
            Status = record.Status,
            HttpStatus = record.HttpStatus,
            Error = record.Error,
            Stream = record.Stream,
            PromptTokens = record.PromptTokens,
            CompletionTokens = record.CompletionTokens,
            CostUsd = record.Cost,
            SavedUsd = record.Saved,
            LatencyMs = record.LatencyMs,
            TtftMs = record.TtftMs,
            Decision = record.Decisions.Count == 0 ? null : string.Join("; ", record.Decisions),
        });
    }
}
