using Microsoft.Extensions.Logging;

namespace Mote.Gateway;

/// <summary>Source-generated log messages of the gateway.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Warning, "Retrying {Deployment} (attempt {Attempt}) in {DelayMs:0} ms: {Reason}")]
    public static partial void Retrying(ILogger logger, string deployment, int attempt, double delayMs, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Request {RequestId}: {Deployment} failed ({Kind}): {Message}")]
    public static partial void AttemptFailed(ILogger logger, string requestId, string deployment, string kind, string message);

    [LoggerMessage(3, LogLevel.Information, "Loaded gateway configuration from {Source}: {Providers} providers, {Deployments} deployments, {Routes} routes")]
    public static partial void ConfigLoaded(ILogger logger, string source, int providers, int deployments, int routes);

    [LoggerMessage(4, LogLevel.Error, "Kept the previous gateway configuration: the changed file {Source} is invalid: {Errors}")]
    public static partial void ConfigRejected(ILogger logger, string source, string errors);

    [LoggerMessage(5, LogLevel.Information, "Request {RequestId}: cascade tier {Tier} ({Deployment}) {Decision}: {Detail}")]
    public static partial void CascadeDecision(ILogger logger, string requestId, int tier, string deployment, string decision, string detail);

    [LoggerMessage(6, LogLevel.Error, "Usage ledger write failed; {Count} rows")]
    public static partial void LedgerWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(7, LogLevel.Warning, "Request {RequestId}: continuing a broken stream on {Deployment} after {Chars} characters")]
    public static partial void ContinuingStream(ILogger logger, string requestId, string deployment, int chars);

    [LoggerMessage(8, LogLevel.Error, "Usage ledger journal failed (rows still reach the database, in the background)")]
    public static partial void LedgerJournalFailed(ILogger logger, Exception exception);
}
