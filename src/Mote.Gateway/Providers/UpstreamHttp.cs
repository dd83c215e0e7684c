namespace Mote.Gateway.Providers;

/// <summary>The name of the pooled <see cref="HttpClient"/> every provider adapter uses.</summary>
internal static class UpstreamHttp
{
    public const string ClientName = "mote-upstream";

    /// <summary>True for an http(s) URL whose host is this machine.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || uri.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1";

    /// <summary>Parses a base URL and makes sure relative paths append to it ("…/v1" + "chat/completions").</summary>
    public static bool TryParseBase(string? text, out Uri uri)
    {
        uri = null!;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https"))
            return false;
        uri = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
        return true;
    }
}
