namespace Mote.Gateway;

/// <summary>The decisions attached to each <see cref="FailureKind"/>, in one table-like place.</summary>
public static class FailureKindExtensions
{
    /// <summary>Worth trying the same deployment again after a back-off.</summary>
    public static bool IsRetryable(this FailureKind kind) =>
        kind is FailureKind.Connect or FailureKind.Timeout or FailureKind.RateLimited or FailureKind.ServerError;

    /// <summary>The client's own fault or a refusal: answer the client, try nowhere else.</summary>
    public static bool IsFinal(this FailureKind kind) =>
        kind is FailureKind.BadRequest or FailureKind.ContentFilter;

    /// <summary>Evidence that the deployment is unhealthy (feeds cooldown and the circuit breaker).</summary>
    public static bool CountsAgainstHealth(this FailureKind kind) => kind switch
    {
        FailureKind.BadRequest or FailureKind.ContentFilter or FailureKind.ContextLength
            or FailureKind.PrefillRejected or FailureKind.Unavailable or FailureKind.Overloaded => false,
        _ => true,
    };

    /// <summary>The snake_case label used in metrics, the ledger and the route header.</summary>
    public static string Label(this FailureKind kind) => kind switch
    {
        FailureKind.Connect => "connect",
        FailureKind.Timeout => "timeout",
        FailureKind.RateLimited => "rate_limited",
        FailureKind.QuotaExhausted => "quota_exhausted",
        FailureKind.ServerError => "server_error",
        FailureKind.BadRequest => "bad_request",
        FailureKind.Unauthorized => "unauthorized",
        FailureKind.NotFound => "not_found",
        FailureKind.ContentFilter => "content_filter",
        FailureKind.ContextLength => "context_length",
        FailureKind.PrefillRejected => "prefill_rejected",
        FailureKind.FirstTokenTimeout => "first_token_timeout",
        FailureKind.StreamStalled => "stream_stalled",
        FailureKind.StreamBroken => "stream_broken",
        FailureKind.StreamMalformed => "stream_malformed",
        FailureKind.StreamIncomplete => "stream_incomplete",
        FailureKind.Unavailable => "unavailable",
        FailureKind.Overloaded => "overloaded",
        _ => kind.ToString(),
    };
}
