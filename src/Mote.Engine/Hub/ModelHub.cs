using System.Net;

namespace Mote.Engine.Hub;

/// <summary>
/// Pulls models from the Hugging Face Hub into the local cache: resolves an alias or <c>hf:OWNER/REPO[:FILE]</c> to
/// one GGUF file (picking a default quant when the repository has several), downloads it with resume and SHA-256
/// verification, and answers from the cache without touching the network when the file is already there.
/// </summary>
public sealed class ModelHub : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="options">Endpoint, token and cache directory.</param>
    /// <param name="http">An HTTP client to use (tests pass one); by default the hub creates and owns one.</param>
    public ModelHub(HubOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Cache = new ModelCache(options.CacheDirectory);
        _ownsHttp = http is null;
        _http = http ?? CreateHttpClient();
        Downloader = new HuggingFaceDownloader(_http, options);
    }

    public HubOptions Options { get; }

    public ModelCache Cache { get; }

    public HuggingFaceDownloader Downloader { get; }

    /// <summary>Asks the hub which file a reference means, with its size and SHA-256.</summary>
    public async Task<ResolvedModel> ResolveAsync(ModelReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var files = await Downloader.ListFilesAsync(reference.Repository, reference.Revision, cancellationToken).ConfigureAwait(false);
        var ggufs = QuantPicker.Candidates(files.Select(f => f.Path));
        if (reference.File is not null)
        {
            var named = files.FirstOrDefault(f => f.Path == reference.File)
                ?? throw new HubException(HubErrorKind.NotFound,
                    $"{reference.Repository} has no file '{reference.File}'." +
                    (ggufs.Count > 0 ? $" Its GGUF files: {string.Join(", ", ggufs)}." : ""));
            return new ResolvedModel(reference, named, false, ggufs);
        }
        var pick = QuantPicker.Pick(ggufs)
            ?? throw new HubException(HubErrorKind.NoGguf,
                $"{reference.Repository} has no GGUF file. Mote runs GGUF models; look for a repository whose name ends in -GGUF.");
        return new ResolvedModel(reference, files.First(f => f.Path == pick), true, ggufs);
    }

    /// <summary>
    /// Makes sure the referenced model is in the cache and returns its path. A file already cached is returned at once,
    /// without network access; otherwise it is resolved, downloaded and verified.
    /// </summary>
    public async Task<PulledModel> PullAsync(ModelReference reference, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.File is not null && Cache.Find(reference) is { } cached)
            return new PulledModel(reference, cached.File, cached.Path, cached.Size, WasCached: true, ChosenAutomatically: false, null);

        ResolvedModel resolved;
        try
        {
            resolved = await ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        }
        catch (HubException e) when (e.Kind == HubErrorKind.Unavailable && Cache.Find(reference) is { } offline)
        {
            // Offline with only a repository named: serve what an earlier pull left in the cache.
            return new PulledModel(reference, offline.File, offline.Path, offline.Size, true, true, null);
        }
        return await PullAsync(resolved, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads a resolved file into the cache, unless a complete copy is already there.</summary>
    public async Task<PulledModel> PullAsync(ResolvedModel resolved, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var reference = resolved.Reference;
        var path = Cache.PathFor(reference.Repository, resolved.File.Path);
        if (File.Exists(path) && (resolved.File.Size <= 0 || new FileInfo(path).Length == resolved.File.Size))
            return new PulledModel(reference, resolved.File.Path, path, new FileInfo(path).Length, true, resolved.ChosenAutomatically, null);

        var sha256 = await Downloader.DownloadAsync(reference.Repository, reference.Revision, resolved.File, path, progress, cancellationToken)
            .ConfigureAwait(false);
        return new PulledModel(reference, resolved.File.Path, path, new FileInfo(path).Length, false, resolved.ChosenAutomatically,
            resolved.File.Sha256 is null ? null : sha256);
    }

    /// <summary>
    /// What a <c>--model</c> argument means: an existing file path is used as is; anything else is an alias or
    /// <c>hf:</c> reference, pulled into the cache if needed (with no network, a <see cref="HubException"/> of kind
    /// <see cref="HubErrorKind.Unavailable"/> says how to pass a file instead). Returns the GGUF file's path.
    /// </summary>
    public async Task<string> GetModelPathAsync(string fileOrSpec, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileOrSpec);
        if (File.Exists(fileOrSpec))
            return Path.GetFullPath(fileOrSpec);
        if (fileOrSpec.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && !fileOrSpec.StartsWith("hf:", StringComparison.OrdinalIgnoreCase))
            throw new FileNotFoundException($"model file not found: {fileOrSpec}", fileOrSpec);
        var pulled = await PullAsync(ModelReference.Parse(fileOrSpec), progress, cancellationToken).ConfigureAwait(false);
        return pulled.Path;
    }

    /// <summary>Parses <paramref name="spec"/> (alias or <c>hf:</c> reference) and pulls it.</summary>
    public Task<PulledModel> PullAsync(string spec, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        PullAsync(ModelReference.Parse(spec), progress, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AutomaticDecompression = DecompressionMethods.None, // byte ranges refer to the raw file
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        // Downloads of large files take as long as they take; stalls are caught per read instead.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
