using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Configuration;

/// <summary>
/// Holds the current compiled configuration and reloads it when the file changes. A changed file that does not
/// compile is rejected with a logged reason and the previous configuration stays in force.
/// </summary>
internal sealed class GatewayConfigStore : IDisposable
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    private readonly GatewayOptions _options;
    private readonly GatewayCompiler _compiler;
    private readonly DeploymentStateRegistry _states;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly Lazy<GatewayRuntime> _initial;
    private volatile GatewayRuntime? _current;
    private Timer? _poll;
    private (DateTime Modified, long Length) _loaded; // poll callback only (polls never overlap)
    private (DateTime Modified, long Length) _seen;
    private int _version;

    public GatewayConfigStore(
        IOptions<GatewayOptions> options, GatewayCompiler compiler, DeploymentStateRegistry states, ILogger<GatewayConfigStore> logger)
    {
        _options = options.Value;
        _compiler = compiler;
        _states = states;
        _logger = logger;
        _initial = new Lazy<GatewayRuntime>(LoadInitial);
    }

    /// <summary>The configuration in force. Throws <see cref="GatewayConfigException"/> if the first load failed.</summary>
    public GatewayRuntime Current => _current ?? _initial.Value;

    /// <summary>Increments on every successful reload.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Raised after a reload was rejected, with the reasons (tests and the admin API observe it).</summary>
    public event Action<IReadOnlyList<string>>? ReloadRejected;

    /// <summary>Reloads the configuration file now; false (and the old configuration kept) when it is invalid.</summary>
    public bool TryReload(out IReadOnlyList<string> errors)
    {
        lock (_reloadLock)
        {
            try
            {
                var runtime = _compiler.CompileFrom(_options);
                _current = runtime;
                _states.Retain(runtime.Deployments.Keys);
                Interlocked.Increment(ref _version);
                GatewayLog.ConfigLoaded(_logger, runtime.Source, runtime.Providers.Count, runtime.Deployments.Count, runtime.Routes.Count);
                errors = [];
                return true;
            }
            catch (GatewayConfigException e)
            {
                GatewayLog.ConfigRejected(_logger, e.Source, string.Join("; ", e.Errors));
                errors = e.Errors;
                ReloadRejected?.Invoke(errors);
                return false;
            }
        }
    }

    /// <summary>
    /// Starts watching the configuration file, when there is one and watching is on: its size and modification time
    /// are polled every <see cref="s_poll"/>, and a change is loaded once it has held still for one interval (a file
    /// being written is not read half-way). Polling rather than a <see cref="FileSystemWatcher"/>: the folder usually
    /// also holds the usage ledger, and an inotify watch on it would wake a thread on every ledger commit.
    /// </summary>
    public void StartWatching()
    {
        if (_options.ConfigPath is not { } path || !_options.WatchConfig || _poll is not null)
            return;
        var file = new FileInfo(Path.GetFullPath(path));
        _loaded = _seen = Stamp(file);
        // One-shot, re-armed after each poll, so polls never overlap (a reload may take longer than the interval).
        _poll = new Timer(_ => Poll(file), null, s_poll, Timeout.InfiniteTimeSpan);
    }

    private void Poll(FileInfo file)
    {
        try
        {
            var stamp = Stamp(file);
            // Seen the same way twice in a row, and not what was loaded: the edit is finished.
            var settled = stamp == _seen && stamp != _loaded;
            _seen = stamp;
            if (settled)
            {
                _loaded = stamp;
                TryReload(out IReadOnlyList<string> _);
            }
        }
        finally
        {
            try
            {
                _poll?.Change(s_poll, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Stopped while polling.
            }
        }
    }

    /// <summary>What identifies a version of the file: modification time and length (default when it is missing).</summary>
    private static (DateTime Modified, long Length) Stamp(FileInfo file)
    {
        file.Refresh();
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
    }

    private GatewayRuntime LoadInitial()
    {
        var runtime = _compiler.CompileFrom(_options);
        _current = runtime;
        GatewayLog.ConfigLoaded(_logger, runtime.Source, runtime.Providers.Count, runtime.Deployments.Count, runtime.Routes.Count);
        return runtime;
    }

    public void Dispose()
    {
        _poll?.Dispose();
    }
}
