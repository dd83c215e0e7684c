namespace Mote.Engine.Hub;

/// <summary>Where the hub is, who we are to it, and where pulled models live.</summary>
public sealed record HubOptions
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The hub's base URL (<c>HF_ENDPOINT</c>, <c>--endpoint</c>); mirrors and test servers go here.</summary>
    public Uri Endpoint { get; init; } = new(DefaultEndpoint);

    /// <summary>A Hugging Face access token (<c>HF_TOKEN</c>), sent as a Bearer token for gated or private repositories.</summary>
    public string? Token { get; init; }

    /// <summary>The cache root (<c>MOTE_CACHE</c>, <c>--cache-dir</c>); models go to <c>models/OWNER/REPO/FILE</c> below it.</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>How many times a broken transfer is attempted (each retry resumes where the last one stopped).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The pause before the first retry; it doubles for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A transfer that delivers no byte for this long is treated as broken.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Options from the environment: <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c> and <c>MOTE_CACHE</c>, overridden by the
    /// explicit arguments when given (command-line flags win over the environment).
    /// </summary>
    public static HubOptions FromEnvironment(string? endpoint = null, string? cacheDirectory = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var url = NonEmpty(endpoint) ?? NonEmpty(environment("HF_ENDPOINT")) ?? DefaultEndpoint;
        if (!Uri.TryCreate(url.TrimEnd('/'), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"hub endpoint '{url}' is not an http(s) URL", nameof(endpoint));
        return new HubOptions
        {
            Endpoint = uri,
            Token = NonEmpty(environment("HF_TOKEN")) ?? NonEmpty(environment("HUGGING_FACE_HUB_TOKEN")),
            CacheDirectory = CacheDirectoryFromEnvironment(cacheDirectory, environment),
        };
    }

    /// <summary>The cache root: <paramref name="cacheDirectory"/> when given, else <c>MOTE_CACHE</c>, else the default.</summary>
    public static string CacheDirectoryFromEnvironment(string? cacheDirectory = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return NonEmpty(cacheDirectory) ?? NonEmpty(environment("MOTE_CACHE")) ?? DefaultCacheDirectory(environment);
    }

    /// <summary><c>$XDG_CACHE_HOME/mote</c>, else <c>~/.cache/mote</c>.</summary>
    public static string DefaultCacheDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var xdg = NonEmpty(environment("XDG_CACHE_HOME"));
        var baseDirectory = xdg ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDirectory, "mote");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
