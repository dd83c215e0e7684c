using Microsoft.Extensions.Logging;

namespace Mote.Server;

/// <summary>Source-generated log messages of the server.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(101, LogLevel.Error, "Unhandled error while serving {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string path);

    [LoggerMessage(102, LogLevel.Warning, "Stream of request {RequestId} ended with an error after it started: {Message}")]
    public static partial void StreamFailed(ILogger logger, string requestId, string message);
}
