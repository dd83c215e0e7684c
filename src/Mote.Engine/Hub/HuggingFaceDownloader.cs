using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Mote.Engine.Hub;

/// <summary>
/// The Hugging Face Hub over plain HTTP, as its own clients use it:
/// <list type="bullet">
/// <item>listing: <c>GET {endpoint}/api/models/{repo}/tree/{revision}?recursive=true&amp;expand=false</c>, a JSON array of
/// <c>{type, path, size, oid, lfs: {oid, size}}</c>, paged through <c>Link: &lt;…&gt;; rel="next"</c>. For LFS files
/// <c>lfs.oid</c> is the SHA-256 of the content.</item>
/// <item>download: <c>GET {endpoint}/{repo}/resolve/{revision}/{path}</c> (the hub redirects LFS files to its CDN).</item>
/// </list>
/// Downloads go to <c>FILE.part</c>, resume with <c>Range: bytes=N-</c> (a 206 appends; a 200 means the server
/// ignored the range and the file restarts), are checked against the hub's size and SHA-256, and only then renamed
/// into place, so a cache file is always complete.
/// </summary>
public sealed class HuggingFaceDownloader
{
    private const int BufferSize = 1 << 20;

    private readonly HttpClient _http;
    private readonly HubOptions _options;

    public HuggingFaceDownloader(HttpClient http, HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
    }

    /// <summary>The tree-listing URL of a repository at a revision.</summary>
    public Uri TreeUri(string repository, string revision) =>
        new(_options.Endpoint, $"{BasePath}api/models/{EscapePath(repository)}/tree/{Uri.EscapeDataString(revision)}?recursive=true&expand=false");

    /// <summary>The download URL of one file.</summary>
    public Uri ResolveUri(string repository, string revision, string file) =>
        new(_options.Endpoint, $"{BasePath}{EscapePath(repository)}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(file)}");

    // The endpoint may itself have a path (a mirror at https://host/hf); relative URIs must keep it.
    private string BasePath => _options.Endpoint.AbsolutePath.TrimEnd('/') + "/";

    /// <summary>Every file in the repository at a revision.</summary>
    public async Task<IReadOnlyList<HubFile>> ListFilesAsync(string repository, string revision, CancellationToken cancellationToken = default)
    {
        var files = new List<HubFile>();
        Uri? next = TreeUri(repository, revision);
        while (next is not null)
        {
            var page = next;
            next = await WithRetries($"list {repository}", async () =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.StallTimeout);
                using var request = NewRequest(page);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                ThrowForStatus(response, $"repository {repository} (revision {revision})");
                var json = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                files.AddRange(ParseTree(json, repository));
                return NextPage(response, page);
            }, cancellationToken).ConfigureAwait(false);
        }
        return files;
    }

    /// <summary>
    /// Downloads one file to <paramref name="destination"/>, resuming a previous <c>.part</c> and retrying broken
    /// transfers. Returns the SHA-256 (hex) of the completed file.
    /// </summary>
    public async Task<string> DownloadAsync(string repository, string revision, HubFile file, string destination,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = destination + ModelCache.PartialSuffix;
        var hash = await WithRetries($"download {repository}/{file.Path}",
            () => TransferAsync(repository, revision, file, partial, progress, cancellationToken), cancellationToken).ConfigureAwait(false);

        var length = new FileInfo(partial).Length;
        if (file.Size > 0 && length != file.Size)
        {
            File.Delete(partial);
            throw new HubException(HubErrorKind.Integrity,
                $"{repository}/{file.Path}: downloaded {length:N0} bytes but the hub lists {file.Size:N0}. The download was deleted; pull again.");
        }
        if (file.Sha256 is not null && !string.Equals(hash, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            throw new HubException(HubErrorKind.Integrity,
                $"{repository}/{file.Path}: SHA-256 mismatch (the hub says {file.Sha256}, the download is {hash}). " +
                "The corrupt download was deleted and nothing was added to the cache; pull again.");
        }
        File.Move(partial, destination, overwrite: true);
        return hash;
    }

    // One HTTP transfer into the .part file; returns the SHA-256 of the whole file once it is complete.
    private async Task<string> TransferAsync(string repository, string revision, HubFile file, string partial,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (file.Size > 0 && offset > file.Size)
        {
            File.Delete(partial);
            offset = 0;
        }
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (file.Size > 0 && offset == file.Size)
        {
            await HashFileAsync(partial, hasher, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hasher.GetHashAndReset());
        }

        using var request = NewRequest(ResolveUri(repository, revision, file.Path));
        if (offset > 0)
            request.Headers.Range = new RangeHeaderValue(offset, null);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file does not fit what the server has now (the file changed?): start over.
            File.Delete(partial);
            throw new IOException($"the server rejected resuming at byte {offset}; restarting from the beginning");
        }
        ThrowForStatus(response, $"file {file.Path} in {repository} (revision {revision})");
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var start = response.Content.Headers.ContentRange?.From;
            if (start != offset)
            {
                File.Delete(partial);
                throw new IOException($"the server resumed at byte {start?.ToString() ?? "?"} instead of {offset}; restarting from the beginning");
            }
            await HashFileAsync(partial, hasher, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            offset = 0; // 200: the whole file, whatever we asked for
        }

        var total = file.Size > 0 ? file.Size : response.Content.Headers.ContentLength + offset;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var output = new FileStream(partial, offset == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write,
            FileShare.None, BufferSize, useAsync: true);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var done = offset;
            progress?.Report(new DownloadProgress(file.Path, done, total, offset));
            while (true)
            {
                int read;
                using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    stall.CancelAfter(_options.StallTimeout);
                    try
                    {
                        read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new IOException($"no data for {_options.StallTimeout.TotalSeconds:0} s");
                    }
                }
                if (read == 0)
                    break;
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                hasher.AppendData(buffer, 0, read);
                done += read;
                progress?.Report(new DownloadProgress(file.Path, done, total, offset));
            }
            if (file.Size > 0 && done < file.Size)
                throw new IOException($"the connection closed after {done:N0} of {file.Size:N0} bytes");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hasher.GetHashAndReset());
    }

    private static async Task HashFileAsync(string path, IncrementalHash hasher, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                hasher.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Runs an HTTP operation, retrying what looks like a broken connection; a transfer retry resumes from the .part file.
    private async Task<T> WithRetries<T>(string what, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
            {
                if (!IsTransient(e) || attempt >= Math.Max(1, _options.MaxAttempts))
                    throw Classify(what, e);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: { } status } => (int)status >= 500 || status == HttpStatusCode.TooManyRequests,
        _ => true, // IOException (a broken body) or a timeout
    };

    private HubException Classify(string what, Exception e)
    {
        // A failure before any response is a network problem; one during the body is an interrupted transfer.
        if (e is HttpRequestException { StatusCode: null, HttpRequestError: not HttpRequestError.ResponseEnded } || e is OperationCanceledException)
            return new HubException(HubErrorKind.Unavailable,
                $"cannot reach {_options.Endpoint} to {what} ({e.Message}). Without network access, pass a GGUF file you already have: " +
                "--model /path/to/model.gguf (models pulled earlier are listed by `mote list`).", e);
        if (e is HttpRequestException { StatusCode: { } status })
            return new HubException(HubErrorKind.Protocol, $"{_options.Endpoint} answered {(int)status} {status} to {what}", e);
        return new HubException(HubErrorKind.Interrupted,
            $"could not {what}: {e.Message}. The partial download is kept; run the same command again to resume it.", e);
    }

    private void ThrowForStatus(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
            return;
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                throw new HubException(HubErrorKind.NotFound,
                    $"{what} was not found on {_options.Endpoint}. Check the spelling; private or gated repositories also need HF_TOKEN.");
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new HubException(HubErrorKind.Unauthorized,
                    $"{_options.Endpoint} refused access to {what} ({(int)response.StatusCode}). " +
                    (_options.Token is null ? "Gated and private repositories need a token: set HF_TOKEN." : "Check that HF_TOKEN grants access to it."));
            default:
                throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase} for {what}", null, response.StatusCode);
        }
    }

    private HttpRequestMessage NewRequest(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("mote", "1.0"));
        if (_options.Token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        return request;
    }

    private static List<HubFile> ParseTree(string json, string repository)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var files = new List<HubFile>();
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.GetProperty("type").GetString() != "file")
                    continue;
                var path = entry.GetProperty("path").GetString()!;
                var size = entry.TryGetProperty("size", out var s) ? s.GetInt64() : 0;
                string? sha256 = null;
                if (entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
                {
                    sha256 = lfs.GetProperty("oid").GetString();
                    if (lfs.TryGetProperty("size", out var lfsSize))
                        size = lfsSize.GetInt64();
                }
                files.Add(new HubFile(path, size, sha256));
            }
            return files;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new HubException(HubErrorKind.Protocol, $"the file listing of {repository} is not the JSON the hub API returns: {e.Message}", e);
        }
    }

    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Length < 2 || !parts.Skip(1).Any(p => p.Trim() is "rel=\"next\"" or "rel=next"))
                continue;
            var target = parts[0].Trim().TrimStart('<').TrimEnd('>');
            return Uri.TryCreate(current, target, out var uri) ? uri : null;
        }
        return null;
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
