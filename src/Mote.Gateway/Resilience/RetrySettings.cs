namespace Mote.Gateway.Resilience;

/// <summary>Retry behaviour of one deployment.</summary>
internal sealed record RetrySettings(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan MaxRetryAfter);
