using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mote.Engine;
using Mote.Engine.Hub;

namespace Mote.Server.LocalModels;

/// <summary>
/// One served model: resolves its file (pulling an alias if needed) and loads it in the background — until then
/// its client reports not ready, so <c>/health</c> answers 503 and the gateway sends it nothing — then owns its
/// scheduler.
/// </summary>
internal sealed class LocalModelHost : IAsyncDisposable
{
    private readonly LocalModelOptions _options;
    private readonly LocalModelMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task<LoadedModel> _loading;

    public LocalModelHost(string name, string spec, string? path, LocalModelOptions options, LocalModelMetrics metrics,
        TimeProvider time, ILogger logger)
    {
        Name = name;
        Spec = spec;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Client = new LocalChatClient(this);
        _loading = Task.Run(() => LoadAsync(path));
    }

    /// <summary>The public name (the route name of <c>--model</c>).</summary>
    public string Name { get; }

    /// <summary>What the configuration named: a file path, alias or <c>hf:</c> reference.</summary>
    public string Spec { get; }

    public LocalChatClient Client { get; }

    public bool IsReady => _loading.IsCompletedSuccessfully;

    /// <summary>Why loading failed, or null.</summary>
    public string? Failure => _loading.IsFaulted ? _loading.Exception!.GetBaseException().Message : null;

    /// <summary>The loaded model, or the <c>Unavailable</c> provider error while loading or after a failed load.</summary>
    public LoadedModel Get() =>
        _loading.IsCompletedSuccessfully ? _loading.Result : throw LocalErrors.NotReady(Name, Failure);

    /// <summary>Waits for loading to finish (tests, benchmarks); throws if it failed.</summary>
    public Task<LoadedModel> WhenLoadedAsync() => _loading;

    private async Task<LoadedModel> LoadAsync(string? path)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            if (path is null)
            {
                using var hub = new ModelHub(_options.Hub ?? HubOptions.FromEnvironment());
                path = await hub.GetModelPathAsync(Spec).ConfigureAwait(false);
            }
            LocalModelLog.Loading(_logger, Name, path);
            var model = Model.Load(path);
            try
            {
                var loaded = new LoadedModel(Name, model, _options, _metrics, _time, _logger);
                LocalModelLog.Ready(_logger, Name, watch.Elapsed.TotalSeconds, loaded.Slots, loaded.ContextLength,
                    loaded.Scheduler.CacheBytes >> 20);
                return loaded;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        catch (Exception e)
        {
            LocalModelLog.LoadFailed(_logger, e, Name, e.Message);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var loaded = await _loading.ConfigureAwait(false);
            loaded.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // It never loaded; there is nothing to release, and the failure was logged.
        }
    }
}
