using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mote.Engine.Hub;
using Mote.Gateway;

namespace Mote.Server.LocalModels;

/// <summary>
/// The in-process engine as the gateway sees it: one <see cref="LocalModelHost"/> per model a <c>local</c>
/// deployment names, created (and loading in the background) the first time the configuration names it — at
/// start-up for <c>--model</c> — and kept across configuration reloads. Ready when every model is loaded.
/// </summary>
internal sealed class LocalModelCatalog : ILocalModelCatalog, IReadinessProbe, IAsyncDisposable, IDisposable
{
    private readonly LocalModelOptions _options;
    private readonly LocalModelMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LocalModelHost> _hosts = new(StringComparer.Ordinal);

    public LocalModelCatalog(IOptions<LocalModelOptions> options, LocalModelMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = loggers.CreateLogger("Mote.LocalModels");
    }

    /// <summary>Every model created so far.</summary>
    public IReadOnlyList<LocalModelHost> Hosts
    {
        get
        {
            lock (_lock)
                return [.. _hosts.Values];
        }
    }

    public IChatCompletionClient? Find(string model) => GetOrCreate(model)?.Client;

    /// <summary>
    /// The host serving <paramref name="name"/>: a deployment's model string, or the public name of a model
    /// (<c>/v1/completions</c> addresses models by it), or null.
    /// </summary>
    public LocalModelHost? Resolve(string name)
    {
        lock (_lock)
        {
            if (_hosts.TryGetValue(name, out var host))
                return host;
            foreach (var candidate in _hosts.Values)
                if (candidate.Name == name)
                    return candidate;
        }
        return null;
    }

    public ValueTask<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        foreach (var host in Hosts)
            if (!host.IsReady)
                return ValueTask.FromResult(false);
        return ValueTask.FromResult(true);
    }

    private LocalModelHost? GetOrCreate(string spec)
    {
        lock (_lock)
        {
            if (_hosts.TryGetValue(spec, out var existing))
                return existing;
            string? path = null;
            if (_options.ResolvedPaths.TryGetValue(spec, out var resolved))
                path = resolved;
            else if (File.Exists(spec))
                path = Path.GetFullPath(spec);
            else if (!IsPullable(spec))
                return null;
            var host = new LocalModelHost(LocalModelRoutes.RouteName(spec), spec, path, _options, _metrics, _time, _logger);
            _hosts[spec] = host;
            return host;
        }
    }

    /// <summary>An alias or <c>hf:</c> reference (pulled in the background), as opposed to a missing file.</summary>
    private static bool IsPullable(string spec) =>
        spec.StartsWith("hf:", StringComparison.OrdinalIgnoreCase) || ModelAliases.TryGet(spec, out _);

    public async ValueTask DisposeAsync()
    {
        LocalModelHost[] hosts;
        lock (_lock)
        {
            hosts = [.. _hosts.Values];
            _hosts.Clear();
        }
        foreach (var host in hosts)
            await host.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
