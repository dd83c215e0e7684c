using Microsoft.Extensions.Logging;

namespace Mote.Server.LocalModels;

/// <summary>Source-generated log messages of the in-process engine.</summary>
internal static partial class LocalModelLog
{
    [LoggerMessage(201, LogLevel.Information, "Loading local model '{Name}' from {Path}")]
    public static partial void Loading(ILogger logger, string name, string path);

    [LoggerMessage(202, LogLevel.Information,
        "Local model '{Name}' ready in {Seconds:0.0} s: {Slots} slots of {Context} tokens ({CacheMiB} MiB of KV cache)")]
    public static partial void Ready(ILogger logger, string name, double seconds, int slots, int context, long cacheMiB);

    [LoggerMessage(203, LogLevel.Error, "Local model '{Name}' failed to load: {Message}")]
    public static partial void LoadFailed(ILogger logger, Exception exception, string name, string message);

    [LoggerMessage(204, LogLevel.Error, "The scheduler of local model '{Name}' failed a step; its running requests were failed")]
    public static partial void SchedulerFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(205, LogLevel.Warning, "Local model '{Name}': its chat template does not parse ({Message}); using ChatML")]
    public static partial void TemplateFallback(ILogger logger, string name, string message);
}
