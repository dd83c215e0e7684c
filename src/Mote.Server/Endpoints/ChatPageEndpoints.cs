using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Mote.Server.Endpoints;

/// <summary>
/// <c>GET /</c>: the chat page ("ChatGPT mini") and its scripts and styles. The files of <c>wwwroot/</c> are embedded
/// in this assembly (so the page ships inside the <c>mote</c> tool and works offline), read once, and served with an
/// ETag; the page talks to <c>/v1/models</c> and <c>/v1/chat/completions</c> like any other client.
/// </summary>
public static class ChatPageEndpoints
{
    private const string ResourcePrefix = "wwwroot/";

    // The page loads nothing from elsewhere; a strict policy makes any markup that slipped through rendering inert.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapChatPage(this IEndpointRouteBuilder endpoints)
    {
        var assets = LoadAssets();
        if (assets.TryGetValue("/index.html", out var index))
            endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, index));
        foreach (var (route, asset) in assets)
            endpoints.MapMethods(route, [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, asset));
        return endpoints;
    }

    private static Task ServeAsync(HttpContext context, Asset asset)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ETag = asset.ETag;
        // Revalidate every time: the page changes with the tool, and a 304 costs next to nothing on loopback.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.IsHtml)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }

        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    /// <summary>Every embedded <c>wwwroot/</c> file by route (<c>/js/app.js</c>), read into memory once.</summary>
    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = typeof(ChatPageEndpoints).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // MSBuild writes RecursiveDir with the build machine's separator.
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                continue;
            var content = Read(assembly, name);
            var contentType = types.TryGetContentType(path, out var type) ? type : "application/octet-stream";
            if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType is "application/javascript" or "application/json")
                contentType += "; charset=utf-8";
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"").ToString();
            assets["/" + path[ResourcePrefix.Length..]] = new Asset(content, contentType, etag, path.EndsWith(".html", StringComparison.Ordinal));
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded chat page resource '{name}' could not be opened.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record Asset(byte[] Content, string ContentType, string ETag, bool IsHtml);
}
