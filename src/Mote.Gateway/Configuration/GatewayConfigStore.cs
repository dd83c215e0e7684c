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
    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(200);

    private readonly GatewayOptions _options;
    private readonly GatewayCompiler _compiler;
    private readonly DeploymentStateRegistry _states;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly Lazy<GatewayRuntime> _initial;
    private volatile GatewayRuntime? _current;
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;
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

    /// <summary>Starts watching the configuration file, when there is one and watching is on.</summary>
    public void StartWatching()
    {
        if (_options.ConfigPath is not { } path || !_options.WatchConfig || _watcher is not null)
            return;
        var full = Path.GetFullPath(path);
        _debounce = new Timer(_ => TryReload(out IReadOnlyList<string> _), null, Timeout.Infinite, Timeout.Infinite);
        // Watch the folder, not the file: editors replace files by rename, which a file watch would lose.
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => _debounce.Change(s_debounce, Timeout.InfiniteTimeSpan);
        _watcher.Created += (_, _) => _debounce.Change(s_debounce, Timeout.InfiniteTimeSpan);
        _watcher.Renamed += (_, _) => _debounce.Change(s_debounce, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
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
        _watcher?.Dispose();
        _debounce?.Dispose();
    }
}
