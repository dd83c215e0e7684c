namespace Mote.Gateway;

/// <summary>Why a call to a provider failed; decides retry, failover and health bookkeeping.</summary>
public enum FailureKind
{
    /// <summary>Could not connect, or the connection was reset before a response began.</summary>
    Connect,

    /// <summary>No complete response within the deployment's time limit.</summary>
    Timeout,

    /// <summary>HTTP 429 (possibly with Retry-After).</summary>
    RateLimited,

    /// <summary>The provider account is out of credit (429 <c>insufficient_quota</c>): retrying will not help.</summary>
    QuotaExhausted,

    /// <summary>HTTP 5xx, or an error event inside a stream.</summary>
    ServerError,

    /// <summary>HTTP 400/422: the request itself is wrong. Never retried, never sent elsewhere.</summary>
    BadRequest,

    /// <summary>HTTP 401/403: this deployment's credentials are wrong.</summary>
    Unauthorized,

    /// <summary>HTTP 404: the upstream does not know the model or path.</summary>
    NotFound,

    /// <summary>The provider refused the content. Never retried.</summary>
    ContentFilter,

    /// <summary>The prompt does not fit the model's context; a larger-context deployment may take it.</summary>
    ContextLength,

    /// <summary>The deployment rejected an assistant prefill used to continue a broken stream.</summary>
    PrefillRejected,

    /// <summary>No first token within the deployment's time-to-first-token budget.</summary>
    FirstTokenTimeout,

    /// <summary>A started stream went silent for longer than the inter-token budget.</summary>
    StreamStalled,

    /// <summary>A started stream's connection broke.</summary>
    StreamBroken,

    /// <summary>A stream event (or a response body) was not valid JSON of the expected shape.</summary>
    StreamMalformed,

    /// <summary>A stream ended without <c>[DONE]</c> or without a finish reason.</summary>
    StreamIncomplete,

    /// <summary>The deployment was skipped: circuit open, cooling down, or not ready.</summary>
    Unavailable,

    /// <summary>
    /// The deployment's own request queue is full (a local model with every slot busy): answer 429 with Retry-After
    /// at once. Not retried in place and not a sign of ill health.
    /// </summary>
    Overloaded,
}
