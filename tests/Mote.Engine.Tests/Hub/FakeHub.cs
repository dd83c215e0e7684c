using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mote.Engine.Tests.Hub;

/// <summary>
/// A Hugging Face Hub stand-in on 127.0.0.1 speaking the real API shapes: <c>/api/models/{repo}/tree/{rev}</c> (JSON
/// entries with <c>lfs.oid</c> = SHA-256, paged with <c>Link</c> when <see cref="PageSize"/> is set) and
/// <c>/{repo}/resolve/{rev}/{file}</c> with HTTP Range support. It can drop a connection mid-body, ignore Range,
/// or advertise a wrong hash, and it records every request.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, List<FakeFile>> _repositories = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeHub()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Cut the connection after this many body bytes, for the next <see cref="DropsRemaining"/> downloads.</summary>
    public int DropAfterBytes { get; set; }

    public int DropsRemaining { get; set; }

    /// <summary>Answer ranged requests with 200 and the whole file, as some servers do.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Tree entries per page (0: all on one page).</summary>
    public int PageSize { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    public void AddFile(string repository, string path, byte[] content, string? advertisedSha256 = null, bool lfs = true)
    {
        if (!_repositories.TryGetValue(repository, out var files))
            _repositories[repository] = files = [];
        files.Add(new FakeFile(path, content, advertisedSha256 ?? Convert.ToHexStringLower(SHA256.HashData(content)), lfs));
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
            return; // tests stop the hub early to go offline
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var path = string.Join('/', request.Url!.AbsolutePath.Split('/').Select(Uri.UnescapeDataString));
        lock (_requests)
            _requests.Add(new RecordedRequest(path + request.Url.Query, request.Headers["Range"], request.Headers["Authorization"]));
        try
        {
            var segments = path.Trim('/').Split('/');
            if (segments.Length >= 6 && segments[0] == "api" && segments[1] == "models" && segments[4] == "tree")
                ServeTree(context, segments[2] + "/" + segments[3], request.QueryString["cursor"]);
            else if (segments.Length >= 5 && segments[2] == "resolve")
                ServeFile(context, segments[0] + "/" + segments[1], string.Join('/', segments[4..]));
            else
                Reply(context, 404, "{\"error\":\"Not Found\"}");
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // the client went away
        }
    }

    private void ServeTree(HttpListenerContext context, string repository, string? cursor)
    {
        if (!_repositories.TryGetValue(repository, out var files))
        {
            Reply(context, 404, "{\"error\":\"Repository not found\"}");
            return;
        }
        var start = cursor is null ? 0 : int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture);
        var count = PageSize > 0 ? PageSize : files.Count;
        var page = files.Skip(start).Take(count).ToList();
        var entries = page.Select(f => f.Lfs
            ? (object)new { type = "file", oid = "0000000000000000000000000000000000000000", size = f.Content.Length, path = f.Path,
                lfs = new { oid = f.AdvertisedSha256, size = f.Content.Length, pointerSize = 134 } }
            : new { type = "file", oid = "1111111111111111111111111111111111111111", size = f.Content.Length, path = f.Path });
        var folder = new { type = "directory", oid = "2222222222222222222222222222222222222222", size = 0, path = "docs" };
        var json = JsonSerializer.Serialize(start == 0 ? entries.Prepend(folder) : entries);
        if (start + count < files.Count)
            context.Response.Headers["Link"] = $"<{Endpoint}api/models/{repository}/tree/main?recursive=true&expand=false&cursor={start + count}>; rel=\"next\"";
        Reply(context, 200, json);
    }

    private void ServeFile(HttpListenerContext context, string repository, string path)
    {
        var file = _repositories.GetValueOrDefault(repository)?.FirstOrDefault(f => f.Path == path);
        if (file is null)
        {
            Reply(context, 404, "Entry not found");
            return;
        }
        var response = context.Response;
        var offset = 0;
        var range = context.Request.Headers["Range"];
        if (range is not null && !IgnoreRange)
        {
            offset = int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            if (offset >= file.Content.Length)
            {
                response.StatusCode = 416;
                response.Headers["Content-Range"] = $"bytes */{file.Content.Length}";
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {offset}-{file.Content.Length - 1}/{file.Content.Length}";
        }
        response.ContentType = "application/octet-stream";
        response.ContentLength64 = file.Content.Length - offset;
        var body = file.Content.AsSpan(offset);
        if (DropsRemaining > 0 && DropAfterBytes < body.Length)
        {
            DropsRemaining--;
            response.OutputStream.Write(body[..DropAfterBytes]);
            response.OutputStream.Flush();
            response.Abort(); // the connection dies mid-body
            return;
        }
        response.OutputStream.Write(body);
        response.Close();
    }

    private static void Reply(HttpListenerContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    private sealed record FakeFile(string Path, byte[] Content, string AdvertisedSha256, bool Lfs);
}

internal sealed record RecordedRequest(string Path, string? Range, string? Authorization);
